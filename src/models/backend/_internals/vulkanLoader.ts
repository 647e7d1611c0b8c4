/**
 * Whether the Vulkan loader (libvulkan.so.1) loads on this Linux machine: the
 * webgpu backend's Dawn needs it, and without it Dawn finds no adapter.
 */
import { message } from './attempt.js';

/**
 * Loads libvulkan.so.1 through the dynamic loader (process.dlopen searches
 * the same paths Dawn's dlopen does); "did not self-register" means it was
 * found (it is not a Node addon). Undefined when it loads, else why not (one line).
 */
export function vulkanLoaderProblem(): string | undefined {
  try {
    process.dlopen({ exports: {} }, 'libvulkan.so.1');
    return undefined;
  } catch (error) {
    const text = message(error);
    if (/did not self-register/i.test(text)) return undefined;
    return /cannot open shared object file/i.test(text)
      ? 'the Vulkan loader libvulkan.so.1 is missing'
      : `the Vulkan loader libvulkan.so.1 does not load (${text})`;
  }
}
