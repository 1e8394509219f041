// Test double of the AWS Lambda REST API paths the strategies use: CreateFunction, GetFunction,
// GetFunctionConfiguration, UpdateFunctionCode, UpdateFunctionConfiguration and Invoke (RequestResponse, and Event: 202). Invocations run a
// registered JS handler, or the handler module inside the function's deployed zip.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { strFromU8, unzipSync } from 'fflate';
import { type AwsRequest, sendJson, startAwsDoubleServer } from './aws-double-server';

/** One API call the double received; `body` is parsed JSON (control calls) or the raw payload text (Invoke). */
export interface LambdaCall {
  operation: 'CreateFunction' | 'GetFunction' | 'GetFunctionConfiguration' | 'UpdateFunctionCode' | 'UpdateFunctionConfiguration' | 'Invoke';
  functionName: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** What an invocation runs: the event in, the function's result out (throwing is a function error). */
export type LambdaHandler = (event: unknown) => unknown;

/** A function as the double holds it. */
export interface DoubleFunction {
  FunctionName: string;
  FunctionArn: string;
  Runtime?: string;
  Role?: string;
  Handler?: string;
  CodeSha256: string;
  CodeSize: number;
  Timeout?: number;
  Description?: string;
  State: 'Pending' | 'Active' | 'Failed';
  LastUpdateStatus: 'InProgress' | 'Successful' | 'Failed';
  /** GetFunction calls that still answer Pending/InProgress before the function settles. */
  settlesAfter: number;
  zip?: Uint8Array;
  handler?: LambdaHandler;
}

/** An error the next matching call answers with (throttling, 5xx, ...). */
export interface InjectedFailure {
  operation: LambdaCall['operation'];
  status: number;
  type: string;
  message?: string;
}

/** A running double. */
export interface LambdaDouble {
  url: string;
  region: string;
  calls: LambdaCall[];
  functions: Map<string, DoubleFunction>;
  /** Registers an existing function (as if deployed outside OpenSym) and returns its ARN. */
  register(name: string, handler: LambdaHandler): string;
  /** The next call of `operation` fails this way (once). */
  failNext(failure: InjectedFailure): void;
  /** How many GetFunction polls a created or updated function stays Pending/InProgress (default 1). */
  settlePolls: number;
  close(): Promise<void>;
}

const ACCOUNT = '123456789012';
const PREFIX = '/2015-03-31/functions';

/** Function name from a path segment holding a name, a partial or a full ARN (qualifier dropped). */
function nameOf(segment: string): string {
  const decoded = decodeURIComponent(segment);
  const arn = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([^:]+)/.exec(decoded);
  return arn ? arn[1] : decoded.split(':')[0];
}

/** Loads the handler Lambda's Node.js runtime would: `file.export` from the zip, ESM or CommonJS. */
async function loadZipHandler(fn: DoubleFunction): Promise<LambdaHandler> {
  const [file, exported] = (fn.Handler ?? 'index.handler').split('.');
  const files = unzipSync(fn.zip!);
  const name = [`${file}.mjs`, `${file}.js`].find((n) => n in files);
  if (!name) throw Object.assign(new Error(`Cannot find module '${file}'`), { name: 'Runtime.ImportModuleError' });
  const source = strFromU8(files[name]);
  let module: Record<string, unknown>;
  try {
    if (name.endsWith('.mjs')) {
      module = (await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`)) as Record<string, unknown>;
    } else {
      const cjs = { exports: {} as Record<string, unknown> };
      new Function('module', 'exports', source)(cjs, cjs.exports);
      module = cjs.exports;
    }
  } catch (error) {
    const syntax = error instanceof SyntaxError;
    throw Object.assign(new Error((error as Error).message), { name: syntax ? 'Runtime.UserCodeSyntaxError' : 'Runtime.ImportModuleError' });
  }
  const handler = module[exported];
  if (typeof handler !== 'function') throw Object.assign(new Error(`${file}.${exported} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  return handler as LambdaHandler;
}

/** Starts the double on a random loopback port. */
export async function startLambdaDouble(region = 'us-east-1'): Promise<LambdaDouble> {
  const calls: LambdaCall[] = [];
  const functions = new Map<string, DoubleFunction>();
  const failures: InjectedFailure[] = [];
  const arnOf = (name: string) => `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`;
  const error = (res: ServerResponse, status: number, type: string, message: string) =>
    sendJson(res, status, { Type: status >= 500 ? 'Service' : 'User', message }, { 'x-amzn-errortype': type, 'x-amzn-requestid': 'double' });
  const configuration = (fn: DoubleFunction) => {
    const { zip: _zip, handler: _handler, settlesAfter: _settle, ...config } = fn;
    return { ...config, Version: '$LATEST', PackageType: 'Zip', LastModified: new Date().toISOString() };
  };
  const poll = (fn: DoubleFunction) => {
    if (fn.settlesAfter > 0) fn.settlesAfter -= 1;
    else {
      if (fn.State === 'Pending') fn.State = 'Active';
      if (fn.LastUpdateStatus === 'InProgress') fn.LastUpdateStatus = 'Successful';
    }
  };
  const withCode = (fn: DoubleFunction, base64: string) => {
    const zip = new Uint8Array(Buffer.from(base64, 'base64'));
    fn.zip = zip;
    fn.CodeSha256 = createHash('sha256').update(zip).digest('base64');
    fn.CodeSize = zip.length;
  };

  const route = async (req: AwsRequest, res: ServerResponse) => {
    const url = new URL(req.path, 'http://double');
    const rest = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : undefined;
    const parts = rest === undefined ? [] : rest.split('/').filter(Boolean);
    let operation: LambdaCall['operation'] | undefined;
    if (req.method === 'POST' && rest !== undefined && parts.length === 0) operation = 'CreateFunction';
    else if (req.method === 'GET' && parts.length === 1) operation = 'GetFunction';
    else if (req.method === 'GET' && parts.length === 2 && parts[1] === 'configuration') operation = 'GetFunctionConfiguration';
    else if (req.method === 'PUT' && parts.length === 2 && parts[1] === 'code') operation = 'UpdateFunctionCode';
    else if (req.method === 'PUT' && parts.length === 2 && parts[1] === 'configuration') operation = 'UpdateFunctionConfiguration';
    else if (req.method === 'POST' && parts.length === 2 && parts[1] === 'invocations') operation = 'Invoke';
    if (!operation) return error(res, 404, 'UnknownOperationException', `no route for ${req.method} ${url.pathname}`);

    const text = req.body.toString('utf8');
    let body: unknown = text;
    if (operation !== 'Invoke' && text) {
      try {
        body = JSON.parse(text);
      } catch {
        return error(res, 400, 'InvalidRequestContentException', 'body is not JSON');
      }
    }
    const functionName = operation === 'CreateFunction' ? String((body as { FunctionName?: unknown }).FunctionName ?? '') : nameOf(parts[0]);
    calls.push({ operation, functionName, headers: { ...req.headers }, body });
    const injected = failures.findIndex((f) => f.operation === operation);
    if (injected >= 0) {
      const [f] = failures.splice(injected, 1);
      return error(res, f.status, f.type, f.message ?? `${f.type} (injected)`);
    }

    if (operation === 'CreateFunction') {
      const input = body as { Runtime?: string; Role?: string; Handler?: string; Timeout?: number; Description?: string; Code?: { ZipFile?: string } };
      if (functions.has(functionName)) return error(res, 409, 'ResourceConflictException', `Function already exist: ${functionName}`);
      if (!input.Role || !input.Code?.ZipFile || !input.Handler) return error(res, 400, 'InvalidParameterValueException', 'Role, Handler and Code.ZipFile are required');
      const fn: DoubleFunction = {
        FunctionName: functionName,
        FunctionArn: arnOf(functionName),
        Runtime: input.Runtime,
        Role: input.Role,
        Handler: input.Handler,
        Timeout: input.Timeout,
        Description: input.Description,
        CodeSha256: '',
        CodeSize: 0,
        State: 'Pending',
        LastUpdateStatus: 'Successful',
        settlesAfter: double.settlePolls,
      };
      withCode(fn, input.Code.ZipFile);
      functions.set(functionName, fn);
      return sendJson(res, 201, configuration(fn));
    }

    const fn = functions.get(functionName);
    if (!fn) return error(res, 404, 'ResourceNotFoundException', `Function not found: ${arnOf(functionName)}`);
    switch (operation) {
      case 'GetFunction': {
        poll(fn);
        return sendJson(res, 200, { Configuration: configuration(fn), Code: { RepositoryType: 'S3', Location: `${double.url}/code/${functionName}` } });
      }
      case 'GetFunctionConfiguration': {
        poll(fn);
        return sendJson(res, 200, configuration(fn));
      }
      case 'UpdateFunctionCode': {
        const input = body as { ZipFile?: string };
        if (!input.ZipFile) return error(res, 400, 'InvalidParameterValueException', 'ZipFile is required');
        if (fn.LastUpdateStatus === 'InProgress') return error(res, 409, 'ResourceConflictException', 'An update is in progress for resource');
        withCode(fn, input.ZipFile);
        fn.LastUpdateStatus = 'InProgress';
        fn.settlesAfter = double.settlePolls;
        return sendJson(res, 200, configuration(fn));
      }
      case 'UpdateFunctionConfiguration': {
        const input = body as { Role?: string; Runtime?: string; Handler?: string; Timeout?: number };
        if (fn.LastUpdateStatus === 'InProgress') return error(res, 409, 'ResourceConflictException', 'An update is in progress for resource');
        for (const key of ['Role', 'Runtime', 'Handler', 'Timeout'] as const) if (input[key] !== undefined) Object.assign(fn, { [key]: input[key] });
        fn.LastUpdateStatus = 'InProgress';
        fn.settlesAfter = double.settlePolls;
        return sendJson(res, 200, configuration(fn));
      }
      case 'Invoke':
        return invoke(fn, text, res, req.headers['x-amz-invocation-type'] === 'Event');
    }
  };

  const invoke = async (fn: DoubleFunction, payload: string, res: ServerResponse, queued = false) => {
    if (fn.State !== 'Active') return error(res, 409, 'ResourceConflictException', `The operation cannot be performed at this time. The function is currently in the following state: ${fn.State}`);
    const headers = { 'x-amz-executed-version': '$LATEST' };
    if (queued) {
      // InvocationType Event: Lambda answers 202 with no body and keeps the function's outcome to
      // itself. The double runs the handler before answering, so tests see its effect at once.
      try {
        const handler = fn.handler ?? (await loadZipHandler(fn));
        await handler(payload ? JSON.parse(payload) : {});
      } catch {
        // A failing asynchronous invocation is not reported to the caller.
      }
      res.writeHead(202, { 'x-amzn-requestid': 'double' }).end();
      return;
    }
    try {
      const handler = fn.handler ?? (await loadZipHandler(fn));
      const result = await handler(payload ? JSON.parse(payload) : {});
      return sendJson(res, 200, result === undefined ? null : result, headers);
    } catch (e) {
      const err = e as Error;
      return sendJson(res, 200, { errorType: err.name || 'Error', errorMessage: err.message, trace: [] }, { ...headers, 'x-amz-function-error': 'Unhandled' });
    }
  };

  const server = await startAwsDoubleServer(route, (res) => error(res, 403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'));
  const double: LambdaDouble = {
    url: server.url,
    region,
    calls,
    functions,
    settlePolls: 1,
    register(name, handler) {
      functions.set(name, { FunctionName: name, FunctionArn: arnOf(name), CodeSha256: '', CodeSize: 0, State: 'Active', LastUpdateStatus: 'Successful', settlesAfter: 0, handler });
      return arnOf(name);
    },
    failNext(failure) {
      failures.push(failure);
    },
    close: server.close,
  };
  return double;
}
