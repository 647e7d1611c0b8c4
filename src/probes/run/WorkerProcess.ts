/**
 * WorkerProcess — the parent's handle on one cell worker (cellWorker.ts): it
 * forks the worker, waits until it is ready, sends it one cell at a time and
 * turns its messages, or its death, into the cell's outcome.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Versions } from '../store/CellRecord.js';
import type { Jobs, JobKind, RunMessage, WorkerMessage } from './protocol.js';

/** How one cell ended; `result` is the job's result type (a probe cell's CellResult by default). */
export type CellOutcome<R = Jobs['probe-cell']['result']> =
  | { kind: 'done'; result: R; versions: Versions }
  | { kind: 'failed'; error: string }
  /** Stopped on request after saving a checkpoint (resumable). */
  | { kind: 'interrupted'; step: number }
  /** The worker process ended before answering (killed, out of memory, crashed). */
  | { kind: 'died'; reason: string };

export interface StepEvent {
  step: number;
  total: number;
  loss: number;
}

export class WorkerProcess {
  private exitReason: string | undefined;
  private pending: ((outcome: CellOutcome<Jobs[JobKind]['result']>) => void) | undefined;
  private onStep: ((event: StepEvent) => void) | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: WorkerMessage) => this.receive(m));
    child.on('exit', (code, signal) => {
      this.exitReason = signal ? `worker ${child.pid} killed by ${signal}` : `worker ${child.pid} exited with code ${code}`;
      this.settle({ kind: 'died', reason: this.exitReason });
    });
  }

  /** Forks `script` and resolves once it reports ready (rejects if it dies first). */
  static start(script: string): Promise<WorkerProcess> {
    const child = fork(script, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    return new Promise((resolve, reject) => {
      const onMessage = (m: WorkerMessage) => {
        if (m.type !== 'ready') return;
        child.off('exit', onExit);
        child.off('message', onMessage);
        resolve(new WorkerProcess(child));
      };
      const onExit = (code: number | null, signal: string | null) => {
        const last = stderr.trim().split('\n').at(-1) ?? '';
        reject(new Error(`cell worker ${script} did not start (${signal ?? `code ${code}`})${last ? `: ${last}` : ''}`));
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Runs one cell; resolves with its outcome (never rejects). */
  run<M extends RunMessage>(message: M, onStep?: (event: StepEvent) => void): Promise<CellOutcome<Jobs[M['job']]['result']>> {
    if (this.exitReason !== undefined) return Promise.resolve({ kind: 'died', reason: this.exitReason });
    if (this.pending) throw new Error('WorkerProcess.run: the worker is busy');
    this.onStep = onStep;
    return new Promise((resolve) => {
      // The worker answers a job with that job's result type (protocol.ts).
      this.pending = resolve as (outcome: CellOutcome<Jobs[JobKind]['result']>) => void;
      this.child.send(message);
    });
  }

  /**
   * Ends the worker: SIGTERM (a cell in flight checkpoints after its current
   * step and settles as 'interrupted'), then SIGKILL after `graceMs` (it
   * settles as 'died').
   */
  stop(graceMs = 30_000): Promise<void> {
    if (this.exitReason !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.kill('SIGTERM');
    });
  }

  private receive(m: WorkerMessage): void {
    if (m.type === 'step') this.onStep?.({ step: m.step, total: m.total, loss: m.loss });
    else if (m.type === 'done') this.settle({ kind: 'done', result: m.result, versions: m.versions });
    else if (m.type === 'failed') this.settle({ kind: 'failed', error: m.error });
    else if (m.type === 'interrupted') this.settle({ kind: 'interrupted', step: m.step });
  }

  private settle(outcome: CellOutcome<Jobs[JobKind]['result']>): void {
    const resolve = this.pending;
    this.pending = undefined;
    this.onStep = undefined;
    resolve?.(outcome);
  }
}
