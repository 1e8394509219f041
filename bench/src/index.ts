/** Helpers other packages may reuse (e.g. to start a control plane for a test). */
export { freePort } from './free-port';
export { median } from './median';
export { renderTable, skippedRow } from './render-table';
export type { BenchRow } from './render-table';
export { startControlPlane } from './start-control-plane';
export type { ControlPlane } from './start-control-plane';
