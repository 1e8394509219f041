/**
 * Checks every answer against the OpenAPI document (on in tests: `createApp({ validateResponses })`),
 * so an API test fails when a route answers with a status or a body its operation does not
 * document. Off in production: the document is the contract, this is how tests hold us to it.
 */
import type { RequestHandler, Response } from 'express';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Logger } from 'pino';
import type { OpenApiDocument } from './operations';

// ajv-formats is CommonJS; under ESM its default export may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

const verbs = ['get', 'put', 'post', 'delete', 'patch'];
const documentId = 'openapi.json';

interface ResponseObject {
  $ref?: string;
  content?: Record<string, { schema?: unknown }>;
}

interface DocumentedOperation {
  pattern: RegExp;
  method: string;
  operationId: string;
  /** status → JSON pointer of its body schema in the document (null: documented without a body). */
  responses: Map<string, string | null>;
}

const escape = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1');

function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`, 'i');
}

function documentedOperations(document: OpenApiDocument): DocumentedOperation[] {
  const componentResponses = (document.components.responses ?? {}) as Record<string, ResponseObject>;
  return Object.entries(document.paths).flatMap(([template, item]) =>
    verbs
      .filter((m) => m in item)
      .map((method) => {
        const op = item[method] as { operationId: string; responses: Record<string, ResponseObject> };
        const responses = new Map<string, string | null>();
        for (const [status, response] of Object.entries(op.responses)) {
          const name = response.$ref?.replace('#/components/responses/', '');
          const at = name !== undefined ? `/components/responses/${escape(name)}` : `/paths/${escape(template)}/${method}/responses/${status}`;
          const resolved = name !== undefined ? componentResponses[name] : response;
          const mediaType = Object.keys(resolved?.content ?? {}).find((t) => resolved?.content?.[t]?.schema !== undefined);
          responses.set(status, mediaType === undefined ? null : `${at}/content/${escape(mediaType)}/schema`);
        }
        return { pattern: templatePattern(template), method: method.toUpperCase(), operationId: op.operationId, responses };
      }),
  );
}

/** What was wrong with one answer. */
export interface ResponseMismatch {
  operationId: string;
  status: number;
  problems: string[];
}

/**
 * Middleware that checks each answer of a documented operation: its status must be documented,
 * and a JSON body must match the schema documented for that status. A mismatch is logged and the
 * answer replaced by a 500 problem naming it, which no API test expects.
 */
export function validateResponses(document: OpenApiDocument, logger: Logger): RequestHandler {
  const ajv = new Ajv2020({ strict: false, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document as object, documentId);
  const operations = documentedOperations(document);
  const compiled = new Map<string, ValidateFunction>();
  const validatorAt = (pointer: string) => {
    let v = compiled.get(pointer);
    if (!v) {
      v = ajv.compile({ $ref: `${documentId}#${pointer}` });
      compiled.set(pointer, v);
    }
    return v;
  };

  const check = (op: DocumentedOperation, res: Response, body: unknown): ResponseMismatch | null => {
    const status = res.statusCode;
    if (!op.responses.has(String(status))) return { operationId: op.operationId, status, problems: [`status ${status} is not documented`] };
    const pointer = op.responses.get(String(status));
    if (pointer === null || pointer === undefined || body === undefined) return null;
    const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
    if (typeof text !== 'string' || !/json/.test(String(res.get('content-type') ?? ''))) return null;
    const validate = validatorAt(pointer);
    if (validate(JSON.parse(text))) return null;
    return { operationId: op.operationId, status, problems: (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`) };
  };

  return (req, res, next) => {
    const path = req.path;
    const op = operations.find((o) => o.method === (req.method === 'HEAD' ? 'GET' : req.method) && o.pattern.test(path));
    if (!op || req.method === 'HEAD') return next();
    const send = res.send.bind(res);
    let checked = false;
    res.send = (body?: unknown) => {
      // res.json calls res.send again with the serialized text; check that one, once.
      if (checked || (typeof body !== 'string' && !Buffer.isBuffer(body) && body !== undefined)) return send(body);
      checked = true;
      const mismatch = check(op, res, body);
      if (!mismatch) return send(body);
      logger.error({ mismatch }, 'response does not match the OpenAPI document');
      res.status(500).type('application/problem+json');
      return send(
        JSON.stringify({
          type: 'about:blank',
          title: 'Response does not match the OpenAPI document',
          status: 500,
          code: 'response_schema_mismatch',
          detail: `${mismatch.operationId} ${mismatch.status}: ${mismatch.problems.join('; ')}`,
        }),
      );
    };
    next();
  };
}
