/**
 * Writing a directory of files atomically: the files go into a sibling
 * temporary directory `.NAME.tmp-PID-RANDOM` (each fsync'd), which is then
 * renamed onto the target; an existing target is first renamed aside to
 * `.NAME.old-PID-RANDOM` and removed only after the swap (and put back if the
 * swap fails), so a reader sees the old directory or the new one, never a
 * mixture.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

async function writeDurable(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces the directory `target` (absolute) by one holding `files`, written
 * in order; each content is produced as its file is written (so a content
 * that throws, e.g. unserialisable JSON, leaves no temporary directory).
 */
export async function writeDirectoryAtomically(
  target: string,
  files: readonly (readonly [name: string, content: () => Uint8Array | string])[],
): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = join(dirname(target), `.${basename(target)}.tmp-${suffix}`);
  await mkdir(temp);
  try {
    for (const [name, content] of files) await writeDurable(join(temp, name), content());
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  const exists = await stat(target).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await rename(temp, target);
    return;
  }
  const aside = join(dirname(target), `.${basename(target)}.old-${suffix}`);
  await rename(target, aside);
  try {
    await rename(temp, target);
  } catch (error) {
    await rename(aside, target);
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  await rm(aside, { recursive: true, force: true });
}
