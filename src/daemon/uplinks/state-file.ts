// Reading and atomically replacing the uplink state file (runtime/atomic-file.ts: a crash leaves
// either the old or the new state, never a torn file).

import { writeFileAtomic } from '../../runtime/atomic-file.js';
import { readFile } from '../../runtime/fs-async.js';
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
  await writeFileAtomic(path, encodePersistedState(state, savedAtMs));
}
