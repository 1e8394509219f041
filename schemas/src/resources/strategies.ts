/** `sym_strategies` (2020 syntax): a set of Lambda strategies declared together. */
import type { BlockSpec, ResourceSpec } from '../model';
import { idAttribute } from './common-attributes';

/** The repeatable `lambda_strategy` block: one `aws_lambda` access strategy. */
export const lambdaStrategyBlock: BlockSpec = {
  nesting: 'list',
  description: 'One Lambda strategy. Give either `code` (the function source) or `arn` (an existing function).',
  minItems: 1,
  attributes: {
    id: {
      type: 'string',
      presence: 'required',
      description: 'Key of the strategy within this set, used in `strategy_ids`.',
      pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$',
    },
    label: { type: 'string', presence: 'optional', description: 'Display name of the strategy.' },
    code: { type: 'string', presence: 'optional', description: 'Source of the Lambda function handling escalate and deescalate events.', minLength: 1 },
    arn: {
      type: 'string',
      presence: 'optional',
      description: 'ARN of an existing Lambda function.',
      pattern: '^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$',
    },
  },
};

/** Spec of the composite `sym_strategies` resource; each block is one `access-strategies` entity. */
export const strategiesResource: ResourceSpec = {
  typeName: 'sym_strategies',
  kind: 'access-strategies',
  composite: 'lambda_strategy_set',
  description:
    "A set of AWS Lambda access strategies. Each `lambda_strategy` block becomes one strategy of type `aws_lambda`, usable as `params.strategy_id`. These strategies have no targets: requests to flows using them take no `target` field, and the function decides from the request's fields.",
  version: 0,
  identity: { by: 'id' },
  attributes: {
    id: idAttribute,
    strategy_ids: {
      type: { map: 'string' },
      presence: 'computed',
      description: 'Strategy ID of each `lambda_strategy`, keyed by its `id`.',
    },
  },
  blocks: { lambda_strategy: lambdaStrategyBlock },
  crossFieldRules: [
    {
      id: 'code_or_arn',
      message: 'Set exactly one of code (to deploy a function) and arn (to use an existing one).',
      path: ['lambda_strategy', 'code'],
      scope: ['lambda_strategy'],
      check: { kind: 'exactly_one_of', attributes: ['code', 'arn'] },
    },
  ],
  example: `resource "sym_strategies" "escalation_strategies" {
  lambda_strategy {
    id    = "my-lambda"
    label = "User Impersonation"
    code  = <<-EOT
      export async function handler(event) {
        return { ok: true };
      }
    EOT
  }

  lambda_strategy {
    id  = "existing"
    arn = "arn:aws:lambda:us-east-1:123456789012:function:impersonate"
  }
}
`,
  importExamples: ['00000000-0000-4000-8000-000000000000'],
};
