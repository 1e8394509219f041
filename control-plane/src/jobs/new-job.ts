import type { NewJob } from './job-queue';

/** Rejects jobs the table would reject or that could never run; returns maxAttempts with its default. */
export function checkNewJob(job: NewJob): { maxAttempts: number } {
  if (!job.kind) throw new Error('a job needs a kind');
  const maxAttempts = job.maxAttempts ?? 10;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error('maxAttempts must be a positive integer');
  if (job.runAt && Number.isNaN(job.runAt.getTime())) throw new Error('runAt is not a valid date');
  if (job.coalesce && !job.requestId) throw new Error('a coalescing job needs a requestId');
  return { maxAttempts };
}
