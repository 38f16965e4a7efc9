/**
 * One long-lived child process running one function's handler
 * (./handler-worker.cjs), talking over IPC. A timed-out invoke kills the
 * process, as Lambda discards a sandbox that timed out; the next invoke
 * starts a fresh one (a cold start).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { FunctionConfig } from './function-config';

/** A handler's error, as Lambda reports it (errorType, errorMessage). */
export class LambdaInvokeError extends Error {
  constructor(
    readonly functionLogicalId: string,
    readonly errorType: string,
    readonly errorMessage: string,
    readonly trace: readonly string[] = [],
  ) {
    super(`${functionLogicalId} failed: ${errorType}: ${errorMessage}`);
    this.name = 'LambdaInvokeError';
  }
}

interface Reply {
  readonly id: string;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly errorType?: string;
  readonly errorMessage?: string;
  readonly trace?: string[];
}

const WORKER_SCRIPT = path.join(__dirname, 'handler-worker.cjs');

export class FunctionWorker {
  private readonly child: ChildProcess;
  private readonly pending = new Map<string, { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  private exited = false;
  readonly exitedPromise: Promise<void>;

  constructor(
    private readonly config: FunctionConfig,
    env: Record<string, string>,
    log: (line: string) => void,
    /** When the worker's credentials expire; the runner replaces the worker before. */
    readonly credentialsExpireAt: number,
  ) {
    if (!config.codeDir)
      throw new LambdaInvokeError(
        config.logicalId,
        'Runtime.ImportModuleError',
        'the function has no code folder in the cloud assembly (synthesized without bundling?)',
      );
    this.child = spawn(process.execPath, [WORKER_SCRIPT, config.codeDir, config.modulePath, config.exportName], {
      cwd: config.codeDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: false,
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) if (line.trim()) log(line);
      });
    }
    this.child.on('message', (reply: Reply) => this.settle(reply));
    this.exitedPromise = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exited = true;
        for (const [id, entry] of this.pending) {
          clearTimeout(entry.timer);
          entry.reject(
            new LambdaInvokeError(config.logicalId, 'Runtime.ExitError', `the handler process exited (${signal ?? `code ${code}`}) during the invoke`),
          );
          this.pending.delete(id);
        }
        resolve();
      });
    });
  }

  get alive(): boolean {
    return !this.exited;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  invoke(event: unknown): Promise<unknown> {
    const id = randomUUID();
    const timeoutMs = this.config.timeoutSeconds * 1000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new LambdaInvokeError(this.config.logicalId, 'Sandbox.Timedout', `Task timed out after ${this.config.timeoutSeconds.toFixed(2)} seconds`));
        this.kill();
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.child.send({ type: 'invoke', id, event, timeoutMs, requestId: id, functionArn: this.config.arn });
    });
  }

  /** Stops the process: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exitedPromise;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private settle(reply: Reply): void {
    const entry = this.pending.get(reply.id);
    if (!entry) return;
    this.pending.delete(reply.id);
    clearTimeout(entry.timer);
    if (reply.ok) entry.resolve(reply.result);
    else entry.reject(new LambdaInvokeError(this.config.logicalId, reply.errorType ?? 'Error', reply.errorMessage ?? '', reply.trace));
  }
}
