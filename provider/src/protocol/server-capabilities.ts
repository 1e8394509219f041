/**
 * What we tell the host: no destroy plans (the framework plans only creates and updates), and
 * the schema may be cached across the processes of one command, saving a call per process.
 */
export const SERVER_CAPABILITIES = { plan_destroy: false, get_provider_schema_optional: true, move_resource_state: false } as const;
