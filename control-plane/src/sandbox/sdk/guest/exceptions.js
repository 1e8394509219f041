// sym/_exceptions: Sym's exception classes (types: ../sym-sdk.d.ts). A hook throws SymException
// (or a subclass) to fail the request with its own message; the sandbox reports it with the code
// `hook_exception` and the message as written (secrets redacted), not as an internal error.

/** Sym's base exception: `new SymException(message)`, or Sym's `(error_type, name, message)`. */
export class SymException extends Error {
  constructor(...args) {
    const message = args.length ? args[args.length - 1] : '';
    super(message === undefined || message === null ? '' : String(message));
    this.name = 'SymException';
    const [type, code] = args.length >= 3 ? [args[0], args[1]] : args.length === 2 ? ['Hook', args[0]] : ['Hook', 'ERROR'];
    this.error_code = String(type) + ':' + String(code);
  }
  to_dict() {
    return { error: true, message: this.message, code: this.error_code };
  }
}

/** Errors of the AWS helpers (Sym's `sym.sdk.exceptions.aws`): `(name, message)`. */
export class AWSError extends SymException {
  constructor(name, message, error_type = 'AWS') {
    super(error_type, name, message);
    this.name = 'AWSError';
  }
}

export class AWSLambdaError extends AWSError {
  constructor(name, message) {
    super(name, message, 'AWSLambda');
    this.name = 'AWSLambdaError';
  }
}

export class AWSIAMError extends AWSError {
  constructor(name, message) {
    super(name, message, 'AWSIAM');
    this.name = 'AWSIAMError';
  }
}

export class AWSSSOError extends AWSError {
  constructor(name, message) {
    super(name, message, 'AWSSSO');
    this.name = 'AWSSSOError';
  }
}
