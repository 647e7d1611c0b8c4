/**
 * Progress of a probe or a study on stderr: on a terminal, a sweep bar (cells done of
 * the shard, ETA) and one bar per worker (its cell, step, loss); otherwise
 * plain lines — one per finished cell, and a status line at most every 30 s.
 */
import cliProgress from 'cli-progress';
import type { RunEvent } from '../../probes/run/index.js';

export interface ProbeProgress {
  onEvent(event: RunEvent<unknown>): void;
  stop(): void;
}

const STATUS_EVERY_MS = 30_000;

/** `what` prefixes the plain lines ('probe', 'study'). */
export function probeProgress(what = 'probe'): ProbeProgress {
  return process.stderr.isTTY ? barProgress() : lineProgress(what);
}

function barProgress(): ProbeProgress {
  const multi = new cliProgress.MultiBar(
    { stream: process.stderr, hideCursor: true, clearOnComplete: false, format: '{name} [{bar}] {value}/{total} {info}' },
    cliProgress.Presets.shades_classic,
  );
  let sweep: cliProgress.SingleBar | undefined;
  const workers = new Map<number, cliProgress.SingleBar>();
  const names = new Map<string, string>();
  let finished = 0;
  return {
    onEvent(e) {
      if (e.type === 'plan') {
        finished = e.done;
        sweep = multi.create(e.total, e.done, { name: 'cells   ', info: `(${e.done} already done)` });
      } else if (e.type === 'cell-start') {
        names.set(e.id, e.label);
        const bar = workers.get(e.worker) ?? multi.create(1, 0, { name: `worker ${e.worker}`, info: '' });
        workers.set(e.worker, bar);
        bar.setTotal(1); // the first step message gives the total
        bar.update(0, { info: names.get(e.id) });
      } else if (e.type === 'step') {
        workers.get(e.worker)?.setTotal(e.total);
        workers.get(e.worker)?.update(e.step, { info: `${names.get(e.id)} loss ${e.loss.toFixed(3)}` });
      } else if (e.type === 'cell-end' && e.status !== 'retry') {
        finished += 1;
        sweep?.update(finished, { info: `last: ${names.get(e.id)} ${e.status} (${e.detail})` });
      }
    },
    stop() {
      multi.stop();
    },
  };
}

function lineProgress(what: string): ProbeProgress {
  let total = 0;
  let finished = 0;
  let lastStatus = Date.now();
  const running = new Map<number, string>();
  const names = new Map<string, string>();
  const write = (s: string) => process.stderr.write(`${s}\n`);
  return {
    onEvent(e) {
      if (e.type === 'plan') {
        total = e.total;
        finished = e.done;
        write(`${what}: ${e.total} cells, ${e.done} already done, ${e.toRun} to run on ${e.workers} worker(s)${e.recovered ? `, ${e.recovered} interrupted cells recovered` : ''}`);
      } else if (e.type === 'cell-start') {
        names.set(e.id, e.label);
      } else if (e.type === 'step') {
        running.set(e.worker, `${names.get(e.id)} step ${e.step}/${e.total} loss ${e.loss.toFixed(3)}`);
        if (Date.now() - lastStatus >= STATUS_EVERY_MS) {
          lastStatus = Date.now();
          write(`${what}: ${finished}/${total} cells; running: ${[...running.values()].join('; ')}`);
        }
      } else if (e.type === 'cell-end') {
        running.delete(e.worker);
        if (e.status !== 'retry') finished += 1;
        write(`${what}: [${finished}/${total}] ${e.status} ${names.get(e.id)}: ${e.detail}`);
      }
    },
    stop() {},
  };
}
