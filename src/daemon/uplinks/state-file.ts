// Reading and atomically replacing the uplink state file: write a temporary file in the same
// directory, fsync it, rename it over the old one, so a crash leaves either the old or the new
// state, never a torn file.

import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { decodePersistedState, encodePersistedState } from '../../uplink/persist.js';
import type { PersistedUplinkState } from '../../uplink/types.js';
import { errorMessage } from '../../runtime/errors.js';

export type LoadedState =
  { kind: 'loaded'; state: PersistedUplinkState } | { kind: 'absent' } | { kind: 'unusable'; reason: string };

export async function loadStateFile(path: string): Promise<LoadedState> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'unusable', reason: errorMessage(error) };
  }
  const decoded = decodePersistedState(text);
  return decoded.ok ? { kind: 'loaded', state: decoded.state } : { kind: 'unusable', reason: decoded.reason };
}

export async function writeStateFile(
  path: string,
  state: PersistedUplinkState,
  savedAtMs: number,
): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true, mode: 0o755 });
  const temporary = join(directory, `.${basename(path)}.${process.pid}.tmp`);
  const handle = await open(temporary, 'w', 0o644);
  try {
    await handle.writeFile(encodePersistedState(state, savedAtMs));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
