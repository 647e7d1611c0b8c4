/** The 'cpu' backend: tfjs's plain-JavaScript backend, always present (slow). */
import { activate, message, type Attempt } from './attempt.js';

/** The 'cpu' attempt. */
export async function tryCpu(): Promise<Attempt> {
  try {
    if (await activate('cpu')) return { ok: true, detail: 'the plain-JavaScript backend of tfjs' };
    return { ok: false, detail: "tfjs refused its 'cpu' backend" };
  } catch (error) {
    return { ok: false, detail: `@tensorflow/tfjs failed to load (${message(error)})` };
  }
}
