/**
 * The 'webgpu' backend (opt-in only, never taken by 'auto'):
 * '@tensorflow/tfjs-backend-webgpu' on Dawn (the 'webgpu' package), both
 * optionalDependencies (Dawn is ~130 MB). It needs a GPU driver: on Linux the
 * Vulkan loader (libvulkan1) and a Vulkan driver; Metal on macOS, D3D12 on
 * Windows. The attempt goes step by step, each failure a one-line cause:
 * packages, Vulkan loader (vulkanLoader.ts), an adapter asked for in a child
 * process (dawnProbe.ts), then tfjs's backend in this process (tfjsWebgpu.ts).
 * Nothing in this process changes until an adapter is known to exist, so
 * without a GPU wasm can still be selected afterwards.
 */
import { pathToFileURL } from 'node:url';
import type { Attempt } from './attempt.js';
import { probeDawnAdapter, type AdapterProbe } from './dawnProbe.js';
import { requireHere, resolvePackageDir } from './packageDir.js';
import { DAWN_PACKAGE, WEBGPU_BACKEND_PACKAGE, startTfjsWebgpu } from './tfjsWebgpu.js';
import { vulkanLoaderProblem } from './vulkanLoader.js';

/** How long Dawn may take to answer requestAdapter before we give up. */
const ADAPTER_TIMEOUT_MS = 30_000;

/** What tryWebgpu needs from the machine; tests replace parts of it. */
export interface WebgpuEnvironment {
  platform: NodeJS.Platform;
  /** Whether a package is installed (without importing it). */
  isInstalled(pkg: string): boolean;
  /** Linux only: undefined when the Vulkan loader loads, else why not (one line). */
  vulkanLoaderProblem(): string | undefined;
  /** Asks Dawn for a high-performance adapter, within `timeoutMs`. */
  probeAdapter(timeoutMs: number): Promise<AdapterProbe>;
  /** Makes 'webgpu' the tfjs backend, in this process; an adapter is known to exist. */
  startTfjsBackend(timeoutMs: number): Promise<Attempt>;
  /** How long Dawn may take to answer (default 30 s). */
  adapterTimeoutMs?: number;
}

const machineWebgpu: WebgpuEnvironment = {
  platform: process.platform,
  isInstalled: (pkg) => resolvePackageDir(pkg) !== undefined,
  vulkanLoaderProblem,
  probeAdapter: (timeoutMs) => {
    const dawnUrl = pathToFileURL(requireHere.resolve(DAWN_PACKAGE)).href;
    return probeDawnAdapter(dawnUrl, timeoutMs);
  },
  startTfjsBackend: startTfjsWebgpu,
};

const PACKAGES_FIX = `install the optional packages ${DAWN_PACKAGE} and ${WEBGPU_BACKEND_PACKAGE} (npm install without --omit=optional), or use --backend wasm`;

/**
 * The webgpu attempt, step by step, each failure a one-line cause: packages,
 * Vulkan loader (Linux), an adapter (asked in a child process), then tfjs's
 * backend in this process. Nothing in this process changes until an adapter
 * is known to exist. Exported for its tests (they pass a fake machine).
 */
export async function tryWebgpu(machine: WebgpuEnvironment = machineWebgpu): Promise<Attempt> {
  for (const pkg of [DAWN_PACKAGE, WEBGPU_BACKEND_PACKAGE]) {
    if (!machine.isInstalled(pkg)) return { ok: false, detail: `${pkg} is not installed`, fix: PACKAGES_FIX };
  }
  if (machine.platform === 'linux') {
    const problem = machine.vulkanLoaderProblem();
    if (problem !== undefined) return { ok: false, detail: problem };
  }
  const timeoutMs = machine.adapterTimeoutMs ?? ADAPTER_TIMEOUT_MS;
  const probe = await machine.probeAdapter(timeoutMs);
  if (probe.kind === 'failed') return { ok: false, detail: probe.detail };
  if (probe.kind === 'none') {
    return { ok: false, detail: `Dawn found no GPU adapter (${probe.dawnLog || 'no GPU, or no Vulkan driver for it'})` };
  }
  const started = await machine.startTfjsBackend(timeoutMs);
  return started.ok ? { ok: true, detail: `${started.detail} on ${probe.description}` } : started;
}
