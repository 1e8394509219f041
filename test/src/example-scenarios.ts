/** What the lifecycle scenario does to each example: which edits, and which plan each must produce. */

/** An exact text replacement in one file of the working directory. */
export interface FileEdit {
  file: string;
  from: string;
  to: string;
}

/** The per-example inputs of the lifecycle scenario. */
export interface ExampleScenario {
  /** Folder under examples/. */
  example: string;
  /** Every managed resource the first plan creates. */
  resources: string[];
  /** An in-place update: these edits must plan exactly one `update` of `address`. */
  update: { edits: FileEdit[]; address: string };
  /**
   * A replace-forcing edit (a `type` change): `address` is replaced with `action` and only the
   * listed dependents change besides it.
   */
  replace: { edits: FileEdit[]; address: string; action: 'delete-create' | 'create-delete'; dependents: Record<string, string> };
  /** A leaf resource deleted behind Terraform's back through the API, which the next plan recreates. */
  deleteViaApi: string;
  /**
   * Resources whose `implementation` is configured as a file path. Import can only store the API's
   * source text, and a non-computed attribute must be planned as its configured value, so the plan
   * after import rewrites `implementation` from the text back to the path, once, with the same
   * `implementation_hash` (a documented provider limitation; the protocol allows nothing else).
   */
  importRewritesPath?: string[];
}

/** The four examples, in the order the suite runs them. */
export const exampleScenarios: ExampleScenario[] = [
  {
    example: 'quickstart',
    resources: [
      'sym_environment.this',
      'sym_error_logger.slack',
      'sym_flow.this',
      'sym_integration.runtime_context',
      'sym_integration.slack',
      'sym_log_destination.audit',
      'sym_runtime.this',
      'sym_secret.slack_bot_token',
      'sym_secret.slack_signing_secret',
      'sym_secrets.slack',
      'sym_strategy.custom',
      'sym_target.production',
      'sym_target.staging',
    ],
    update: {
      edits: [{ file: 'main.tf', from: 'label               = "Quickstart"', to: 'label               = "Quickstart (edited)"' }],
      address: 'sym_environment.this',
    },
    replace: {
      edits: [
        { file: 'main.tf', from: 'type = "http"', to: 'type = "kinesis_firehose"' },
        { file: 'main.tf', from: 'url = "https://logs.example.invalid/sym-audit"', to: 'stream_name = "quickstart-audit"' },
      ],
      address: 'sym_log_destination.audit',
      // create_before_destroy: the environment refers to the destination.
      action: 'create-delete',
      dependents: { 'sym_environment.this': 'update' },
    },
    deleteViaApi: 'sym_flow.this',
  },
  {
    example: 'user-impersonation',
    resources: [
      'sym_environment.this',
      'sym_flow.impersonate',
      'sym_form.request_fields',
      'sym_integration.slack',
      'sym_log_destination.audit',
      'sym_secret.slack_bot_token',
      'sym_secret.slack_signing_secret',
      'sym_secrets.slack',
      'sym_strategies.escalation_strategies',
    ],
    update: {
      edits: [{ file: 'main.tf', from: 'label = "Impersonate a user"', to: 'label = "Impersonate a user (audited)"' }],
      address: 'sym_flow.impersonate',
    },
    replace: {
      edits: [{ file: 'main.tf', from: 'type = "kinesis_firehose"', to: 'type = "kinesis_data_stream"' }],
      address: 'sym_log_destination.audit',
      action: 'create-delete',
      dependents: { 'sym_environment.this': 'update' },
    },
    deleteViaApi: 'sym_flow.impersonate',
  },
  {
    example: 'routing-rules',
    resources: [
      'sym_environment.this',
      'sym_flow.impersonate',
      'sym_flows_filter.this',
      'sym_integration.pagerduty',
      'sym_integration.slack',
      'sym_log_destination.events',
      'sym_secret.pagerduty_api_token',
      'sym_secret.segment_write_key',
      'sym_secret.slack_bot_token',
      'sym_secret.slack_signing_secret',
      'sym_secrets.env',
    ],
    // The hook file is read with file(): editing it is an in-place change of `implementation`.
    update: {
      edits: [{ file: 'impl.js', from: '// Automatically approve requests for free tier customers', to: '// Automatically approve requests for free-plan customers' }],
      address: 'sym_flow.impersonate',
    },
    replace: {
      edits: [
        { file: 'main.tf', from: 'type = "segment"', to: 'type = "http"' },
        { file: 'main.tf', from: 'write_key_secret = sym_secret.segment_write_key.id', to: 'url = "https://events.example.invalid/sym"' },
      ],
      address: 'sym_log_destination.events',
      action: 'create-delete',
      dependents: { 'sym_environment.this': 'update' },
    },
    deleteViaApi: 'sym_flow.impersonate',
    importRewritesPath: ['sym_flows_filter.this'],
  },
  {
    example: 'custom-access-strategy',
    resources: ['sym_environment.this', 'sym_flow.custom', 'sym_integration.custom', 'sym_secret.api_key', 'sym_secrets.this', 'sym_strategy.custom', 'sym_target.custom'],
    // `implementation` is a path the provider reads at plan time: a changed file must show.
    update: {
      edits: [{ file: 'custom_strategy.js', from: 'return user.email;', to: 'return user.email.toLowerCase();' }],
      address: 'sym_strategy.custom',
    },
    replace: {
      edits: [{ file: 'main.tf', from: 'type  = "aws_secrets_manager"', to: 'type  = "env"' }],
      address: 'sym_secrets.this',
      // create_before_destroy: sym_secret.api_key refers to the source and moves to the new one.
      action: 'create-delete',
      dependents: { 'sym_secret.api_key': 'update' },
    },
    deleteViaApi: 'sym_flow.custom',
    importRewritesPath: ['sym_strategy.custom'],
  },
];

/** Picks examples by name, e.g. `OPENSYM_E2E_EXAMPLES=quickstart,routing-rules`. */
export function selectExamples(filter: string | undefined): ExampleScenario[] {
  if (filter === undefined || filter.trim() === '') return exampleScenarios;
  const wanted = new Set(filter.split(',').map((s) => s.trim()));
  return exampleScenarios.filter((s) => wanted.has(s.example));
}
