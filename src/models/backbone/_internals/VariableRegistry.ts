/**
 * The trainable variables of a backbone, in creation order, with stable
 * names for checkpoints. `add` takes ownership of the initial tensor.
 */
import type * as TF from '@tensorflow/tfjs';
import { tfNow } from '../../backend/index.js';

export class VariableRegistry {
  private readonly named: [string, TF.Variable][] = [];

  /** A trainable variable holding `initial` (which is disposed). */
  add(name: string, initial: TF.Tensor): TF.Variable {
    const v = tfNow().variable(initial, true);
    initial.dispose();
    this.named.push([name, v]);
    return v;
  }

  variables(): TF.Variable[] {
    return this.named.map(([, v]) => v);
  }

  namedVariables(): [string, TF.Variable][] {
    return this.named.map(([n, v]) => [n, v]);
  }

  dispose(): void {
    for (const [, v] of this.named) v.dispose();
  }
}
