// Replacing a small state file atomically: write a temporary file in the same directory, fsync
// it, rename it over the old one, so a crash leaves either the old or the new content, never a
// torn file. Reading tells "absent" from "unreadable".

import { close, fsync, mkdir, open, readFile, rename, unlink, writeFile } from './fs-async.js';
import { basename, dirname, join } from 'node:path';
import { errorMessage } from './errors.js';

export type ReadOutcome =
  { kind: 'read'; text: string } | { kind: 'absent' } | { kind: 'unusable'; reason: string };

export async function readStateText(path: string): Promise<ReadOutcome> {
  try {
    return { kind: 'read', text: await readFile(path, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'unusable', reason: errorMessage(error) };
  }
}

export async function writeFileAtomic(path: string, text: string, mode = 0o644): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true, mode: 0o755 });
  const temporary = join(directory, `.${basename(path)}.${process.pid}.tmp`);
  const fd = await open(temporary, 'w', mode);
  try {
    await writeFile(fd, text);
    await fsync(fd);
  } finally {
    await close(fd);
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
