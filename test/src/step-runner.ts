/** Sequential named steps as node:test subtests, where a failed step skips the rest. */
import type { TestContext } from 'node:test';
import { progress } from './progress';

/** Runs steps in order; each returns a promise; the first failure skips everything after it. */
export class StepRunner {
  private failedStep: string | undefined;

  constructor(
    private readonly t: TestContext,
    private readonly label: string,
  ) {}

  /** Runs one step as a subtest (or skips it after an earlier failure). */
  async step(name: string, body: () => Promise<void>): Promise<void> {
    await this.t.test(name, async (st) => {
      if (this.failedStep !== undefined) {
        st.skip(`skipped: step "${this.failedStep}" failed`);
        return;
      }
      progress(`${this.label} ▸ ${name}`);
      try {
        await body();
      } catch (err) {
        this.failedStep = name;
        progress(`${this.label} ✗ ${name}: ${(err as Error).message.split('\n')[0]}`);
        throw err;
      }
    });
  }

  /** Whether every step so far passed. */
  get passed(): boolean {
    return this.failedStep === undefined;
  }
}
