export type { ClaimedJob, JobDb, JobHandler, JobHandlers, JobQueue, NewJob } from './job-queue';
export { createJobQueue, type JobQueueOptions } from './create-job-queue';
export { createJobPruner, type JobPruner, type JobPrunerOptions } from './job-pruner';
export { createFakeJobQueue, type FakeJobQueue, type FakeJobQueueOptions, type FakeJobRow } from './fake-job-queue';
export { exponentialBackoff, type Backoff, type BackoffOptions } from './backoff';
