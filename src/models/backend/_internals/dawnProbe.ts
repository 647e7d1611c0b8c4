/**
 * Asking Dawn (the 'webgpu' package) for a GPU adapter in a child process,
 * `node --input-type=module -e <probe>`, so that Dawn's native warnings, a
 * crash or a hang cannot reach this process: the child prints one marked JSON
 * line (an adapter, none, or an error), its stderr becomes a one-line reason,
 * a crash a signal name, a hang a timeout.
 */
import { execFile } from 'node:child_process';
import { oneLine } from '../BackendUnavailableError.js';

/** What a look for an adapter found: one (described), none (with Dawn's own words), or a failure. */
export type AdapterProbe =
  | { kind: 'adapter'; description: string }
  | { kind: 'none'; dawnLog: string }
  | { kind: 'failed'; detail: string };

/** The marker of the probe's answer on its stdout (Dawn may print too). */
const PROBE_MARK = 'depthlab-dawn-probe ';

/** The probe, run by `node --input-type=module -e`: import Dawn, ask for an adapter, print one marked JSON line. */
function probeScript(dawnUrl: string): string {
  return `
let out;
try {
  const { create } = await import(${JSON.stringify(dawnUrl)});
  const adapter = await create([]).requestAdapter({ powerPreference: 'high-performance' });
  const info = (adapter && adapter.info) || {};
  const words = [info.vendor, info.architecture, info.device, info.description].filter((w) => typeof w === 'string' && w.length > 0);
  out = adapter ? { adapter: words.join(' ') || 'an unnamed adapter' } : { adapter: null };
} catch (error) {
  out = { error: String((error && error.message) || error).split('\\n')[0] };
}
process.stdout.write('\\n${PROBE_MARK}' + JSON.stringify(out) + '\\n');
process.exit(0);
`;
}

/** Dawn's warnings (stderr) as one short line: the 'Warning:'/'Error:' lines, without stack frames. */
function summariseDawnLog(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !/^at /.test(line))
    .map((line) => line.replace(/^(Warning|Error):\s*/i, '').replace(/^-\s+/, ''))
    .filter((line) => line.length > 0);
  const summary = [...new Set(lines)].slice(0, 2).join('; ');
  return summary.length > 200 ? `${summary.slice(0, 197)}...` : summary;
}

/**
 * Asks Dawn for an adapter in a child process, so that Dawn's native
 * warnings (stderr), a crash or a hang stay out of this process: the child's
 * stderr becomes a one-line reason, a crash a signal name, a hang a timeout.
 * `dawnUrl` is the module to import (the 'webgpu' package; tests pass fakes).
 * Exported for its tests.
 */
export function probeDawnAdapter(dawnUrl: string, timeoutMs: number): Promise<AdapterProbe> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', probeScript(dawnUrl)],
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const dawnLog = summariseDawnLog(stderr);
        const marked = stdout.split('\n').find((line) => line.startsWith(PROBE_MARK));
        if (marked === undefined) {
          const killed = (error as { killed?: boolean } | null)?.killed === true;
          const signal = (error as { signal?: string | null } | null)?.signal;
          const code = (error as { code?: unknown } | null)?.code;
          const why = killed
            ? `Dawn did not answer within ${timeoutMs / 1000} s`
            : signal
              ? `Dawn crashed looking for an adapter (${signal})`
              : `the Dawn probe gave no answer (exit code ${String(code ?? 0)})`;
          resolve({ kind: 'failed', detail: dawnLog ? `${why}: ${dawnLog}` : why });
          return;
        }
        try {
          const answer = JSON.parse(marked.slice(PROBE_MARK.length)) as { adapter?: string | null; error?: string };
          if (typeof answer.error === 'string') {
            resolve({ kind: 'failed', detail: `the webgpu package (Dawn) failed (${oneLine(answer.error)})` });
          } else if (typeof answer.adapter === 'string') {
            resolve({ kind: 'adapter', description: oneLine(answer.adapter) });
          } else {
            resolve({ kind: 'none', dawnLog });
          }
        } catch {
          resolve({ kind: 'failed', detail: 'the Dawn probe answered garbage' });
        }
      },
    );
  });
}
