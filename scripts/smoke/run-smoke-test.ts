/**
 * The smoke test as a pure runner over injected clients: runs the steps,
 * always cleans up, and reports whether everything passed.
 */
import { randomBytes } from 'node:crypto';
import { cleanUp } from './cleanup';
import type { SmokeContext, SmokeDependencies, SmokeTarget } from './smoke-context';
import { runSteps, type StepResult } from './step-runner';
import { SMOKE_STEPS } from './steps';
import { newThrowawayUser } from './throwaway-user';
import { webAppStep } from './web-app-check';

export interface SmokeReport {
  /** True only when every step passed and cleanup left nothing behind. */
  readonly passed: boolean;
  readonly steps: readonly StepResult[];
  readonly cleanup: readonly StepResult[];
}

export async function runSmokeTest(target: SmokeTarget, deps: SmokeDependencies): Promise<SmokeReport> {
  const ctx: SmokeContext = {
    target,
    deps,
    runId: deps.runId ?? randomBytes(4).toString('hex'),
    newUser: (deps.newUser ?? newThrowawayUser)(),
    createdKeys: new Set(),
  };
  const plan = target.webAppUrl ? [...SMOKE_STEPS, webAppStep<SmokeContext>()] : SMOKE_STEPS;
  let steps: StepResult[] = [];
  let cleanup: StepResult[] = [];
  try {
    steps = await runSteps(plan, ctx, deps.log);
  } finally {
    cleanup = await cleanUp(ctx);
  }
  const failedSteps = steps.filter((s) => s.status !== 'PASS');
  const failedCleanup = cleanup.filter((s) => s.status === 'FAIL');
  const passed = failedSteps.length === 0 && failedCleanup.length === 0;
  deps.log(
    passed
      ? `Smoke test PASSED: ${steps.length}/${plan.length} steps, cleanup complete`
      : `Smoke test FAILED: ${summary(failedSteps, 'step')}${failedCleanup.length ? `; cleanup failed: ${failedCleanup.map((c) => c.title).join(', ')} (remove by hand)` : ''}`,
  );
  return { passed, steps, cleanup };
}

function summary(results: StepResult[], noun: string): string {
  if (results.length === 0) return `all ${noun}s passed`;
  const failed = results.filter((r) => r.status === 'FAIL').map((r) => r.label.split('/')[0]);
  const skipped = results.filter((r) => r.status === 'SKIP').map((r) => r.label.split('/')[0]);
  const phrase = (numbers: string[], verb: string) => (numbers.length ? `${noun}${numbers.length > 1 ? 's' : ''} ${numbers.join(', ')} ${verb}` : '');
  return [phrase(failed, 'failed'), phrase(skipped, 'skipped')].filter(Boolean).join(', ');
}
