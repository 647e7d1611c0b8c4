/**
 * s–t reachability on a layered graph: L + 1 layers of w nodes, an edge bit for
 * every (node i of layer ℓ, node j of layer ℓ + 1), given as one bit string,
 * layer-major then i then j. The question: is node 0 of the last layer
 * reachable from node 0 of the first? Reachability is NL-complete in general
 * (at a fixed width w it is in NC1 by repeated matrix squaring); the trace lists
 * the reachable set of each layer after the first, as a bit string. With every
 * edge present with probability 1/2 the answers are not balanced (most targets
 * are reachable): the manifest records the majority-answer share per depth.
 */
import { BIT_SYMBOLS } from './_internals/bits.js';
import { bitStringTrace, bitTask } from './_internals/bitTask.js';
import type { Task } from './Task.js';

export function reachabilityTask(width = 4): Task {
  return bitTask({
    id: width === 4 ? 'reachability' : `reachability-w${width}`,
    summary: `is the last layer's node 0 reachable from the first layer's node 0, in a layered graph of width ${width}`,
    taskClass: 'NL',
    depthMeaning: `number of edge layers L (input L·${width}·${width} edge bits)`,
    parameters: { width },
    maxDepth: 256,
    inputBits: (layers) => layers * width * width,
    solve: (layers, bits) => {
      let reach = Array.from({ length: width }, (_, i) => i === 0);
      const trace: string[] = [];
      for (let l = 0; l < layers; l++) {
        const next = new Array<boolean>(width).fill(false);
        for (let i = 0; i < width; i++) {
          if (!reach[i]) continue;
          for (let j = 0; j < width; j++) if (bits[(l * width + i) * width + j] === '1') next[j] = true;
        }
        reach = next;
        trace.push(reach.map((r) => (r ? '1' : '0')).join(''));
      }
      return { trace, answer: reach[0] ? '1' : '0' };
    },
    traceSymbols: bitStringTrace,
    vocabulary: [...BIT_SYMBOLS, ';'],
  });
}
