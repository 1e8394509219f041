/**
 * Plan-time check of a sandboxed implementation (`POST /api/v1/implementation-checks`): the
 * provider sends the code it is about to plan and gets back what the control plane's own engine
 * (CPython's parser for Python, QuickJS for JavaScript) finds in it, with lines, without storing
 * or running anything. Merged into the document by `openApiDocument`.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { JsonSchema } from './entity-json-schema';
import { asJsonSchema } from './as-json-schema';

const implementationCheckBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    source: { type: 'string', description: 'The module text (the file contents, not a path).' },
    kind: {
      type: 'string',
      enum: ['flow', 'flows-filter', 'strategy'],
      description: 'Which rules apply: hook names (`flow`), `get_flows` (`flows-filter`), an AccessStrategy subclass (`strategy`).',
    },
    filename: {
      type: 'string',
      maxLength: 255,
      description: 'The file name the module was read from, if any: its extension (`.py`, `.js`) chooses the language; otherwise the code does.',
    },
  },
  required: ['source', 'kind'],
} as const;

const implementationCheckResult = {
  type: 'object',
  additionalProperties: false,
  properties: {
    language: { type: 'string', enum: ['python', 'javascript'] },
    problems: {
      type: 'array',
      description: 'What would make the control plane refuse the module when it is stored (422), ordered by position; empty when it passes.',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          line: { type: 'integer', minimum: 1 },
          column: { type: 'integer', minimum: 1 },
          message: { type: 'string' },
        },
        required: ['line', 'column', 'message'],
      },
    },
  },
  required: ['language', 'problems'],
} as const;

/** `ImplementationCheckBody`: what `POST /implementation-checks` takes. */
export type ImplementationCheckBody = FromSchema<typeof implementationCheckBody>;
/** `ImplementationCheckResult`: what `POST /implementation-checks` answers. */
export type ImplementationCheckResult = FromSchema<typeof implementationCheckResult>;

/** Component schemas added by this module. */
export const implementationCheckComponentSchemas: Record<string, JsonSchema> = {
  ImplementationCheckBody: asJsonSchema(implementationCheckBody),
  ImplementationCheckResult: asJsonSchema(implementationCheckResult),
};

type Ref = (name: string) => { $ref: string };

/** The check's path; `problem` refers to a shared problem response. */
export function implementationCheckPaths(problem: Ref): Record<string, unknown> {
  return {
    '/api/v1/implementation-checks': {
      post: {
        tags: ['meta'],
        operationId: 'check-implementation',
        summary: 'Check a hook, flows filter or strategy module as storing it would, without storing or running it (admin, member)',
        description:
          'Parses the module with the engine that will run it (syntax errors with their line and column, imports, hook names, ' +
          'the strategy class) under the sandbox limits; nothing of the module is executed. The provider calls it at plan time. ' +
          'A module with problems is still a 200: the problems are the answer.',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ImplementationCheckBody' } } } },
        responses: {
          '200': { description: 'What the check found.', content: { 'application/json': { schema: { $ref: '#/components/schemas/ImplementationCheckResult' } } } },
          '400': problem('BadRequest'),
          '401': problem('Unauthorized'),
          '403': problem('Forbidden'),
          '413': problem('PayloadTooLarge'),
          '415': problem('UnsupportedMediaType'),
          '422': problem('Unprocessable'),
        },
      },
    },
  };
}
