/** Test helper (not part of the build): the CircuitError a call throws; any other outcome fails the test. */
import { CircuitError } from '../CircuitError.js';

export function errorOf(f: () => unknown): CircuitError {
  try {
    f();
  } catch (err) {
    if (err instanceof CircuitError) return err;
    throw err;
  }
  throw new Error('expected a CircuitError, but nothing was thrown');
}
