/**
 * Runs numbered steps in order, one PASS/FAIL/SKIP line each. A step whose
 * prerequisite did not pass is skipped rather than run against missing state.
 */
export type StepStatus = 'PASS' | 'FAIL' | 'SKIP';

export interface StepResult {
  readonly label: string;
  readonly title: string;
  readonly status: StepStatus;
  readonly detail: string;
}

export interface Step<C> {
  readonly title: string;
  /** 1-based numbers of the steps that must have passed first. */
  readonly needs: readonly number[];
  /** Resolves with a short detail for the PASS line; throws to fail. */
  readonly run: (context: C) => Promise<string>;
}

/** A check that did not hold; its message is the whole FAIL detail. */
export class StepFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepFailure';
  }
}

export async function runSteps<C>(steps: readonly Step<C>[], context: C, log: (line: string) => void): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const [index, step] of steps.entries()) {
    const label = `${index + 1}/${steps.length}`;
    const blocked = step.needs.filter((n) => results[n - 1]?.status !== 'PASS');
    const result =
      blocked.length > 0
        ? { label, title: step.title, status: 'SKIP' as const, detail: `needs step ${blocked.join(', ')}` }
        : await runOne(label, step, context);
    log(formatResult(result));
    results.push(result);
  }
  return results;
}

/** Runs one action as a result line (used for cleanup, which has no prerequisites). */
export async function runOne<C>(label: string, step: Pick<Step<C>, 'title' | 'run'>, context: C): Promise<StepResult> {
  try {
    return { label, title: step.title, status: 'PASS', detail: await step.run(context) };
  } catch (error) {
    return { label, title: step.title, status: 'FAIL', detail: describeError(error) };
  }
}

export function formatResult(result: StepResult): string {
  return `${result.status.padEnd(4)}  ${result.label.padEnd(7)}  ${result.title}${result.detail ? ` - ${result.detail}` : ''}`;
}

/** `AccessDenied: Access Denied`, or just the message for our own failures. */
export function describeError(error: unknown): string {
  if (error instanceof StepFailure) return error.message;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const kind = typeof code === 'string' ? code : error.name !== 'Error' ? error.name : '';
    return kind && !error.message.startsWith(kind) ? `${kind}: ${error.message}` : error.message;
  }
  return String(error);
}
