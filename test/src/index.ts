/** The e2e harness: processes, servers, CLI workspaces and plan parsing. */
export { ApiClient, entityKinds, type Entity, type EntityCreate, type EntityKind, type EntityOf, type EntityUpdate } from './api-client';
export { ControlPlane } from './control-plane';
export { PostgresServer } from './postgres-server';
export { Workspace } from './workspace';
export { assertAttributeError, parseErrors, type CliDiagnostic } from './diagnostics';
export { cliConfigText, writeCliConfig } from './cli-config';
export { ensureBuilds } from './ensure-builds';
export { ensureClis, selectClis, type CliBinary } from './ensure-clis';
export { exampleScenarios, selectExamples, type ExampleScenario } from './example-scenarios';
export { freePort } from './free-port';
export { importBlock, importId, resourceKinds } from './import-ids';
export { lineOf, linesOf, replaceOnce } from './text-edit';
export { planChanges, planImports, stateResources } from './plan-changes';
export { progress } from './progress';
export { runLifecycle } from './lifecycle-scenario';
export { setupSuite } from './suite-setup';
