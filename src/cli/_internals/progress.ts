/**
 * Progress on stderr: a cli-progress bar when stderr is a terminal, otherwise
 * a plain line at most every `everyMs` (default 5 s) so logs stay readable.
 * Nothing is shown for jobs that finish within `quietMs` (default 1 s).
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number): void;
  /** The job is finished: the bar, if shown, is completed and closed. */
  stop(): void;
}

export function progress(label: string, total: number, options: { quietMs?: number; everyMs?: number } = {}): Progress {
  const started = Date.now();
  const quietMs = options.quietMs ?? 1000;
  const everyMs = options.everyMs ?? 5000;
  let bar: cliProgress.SingleBar | undefined;
  let lastLine = started;
  return {
    update(done) {
      const now = Date.now();
      if (now - started < quietMs) return;
      if (process.stderr.isTTY) {
        if (bar === undefined) {
          bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted}`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
          bar.start(total, done);
        }
        bar.update(done);
      } else if (now - lastLine >= everyMs) {
        lastLine = now;
        process.stderr.write(`${label}: ${done}/${total} (${((100 * done) / total).toFixed(1)}%)\n`);
      }
    },
    stop() {
      if (bar !== undefined) {
        bar.update(total);
        bar.stop();
      }
    },
  };
}
