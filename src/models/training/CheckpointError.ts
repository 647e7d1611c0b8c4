/**
 * The error of a checkpoint file that is missing, unreadable or inconsistent
 * (checkpoint.ts). Its message is one line:
 *
 *   checkpoint file FILE CAUSE; re-save the checkpoint, or resume from another checkpoint directory
 */

const FIX = 're-save the checkpoint, or resume from another checkpoint directory';

/** A checkpoint file is missing, unreadable or inconsistent. The message is one line: the file, the cause, the fix. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  /** The file (or directory) at fault. */
  readonly file: string;

  constructor(file: string, cause: string) {
    super(`checkpoint file ${file} ${cause.replace(/\s*\n\s*/g, ' ')}; ${FIX}`);
    this.file = file;
  }
}
