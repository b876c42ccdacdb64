// NetGWM's runtime pin, /var/lib/netgwm/mode: one line, `auto` or a gateway id. NetGWM reads it
// at every run when netgwm.yml has no `mode`; an id that names no gateway means auto. vrrpd reads
// it before every probe round (a few bytes) and writes it for `vrrpctl uplink pin`, so both
// `echo operator2 > /var/lib/netgwm/mode` and the command keep working.

import { mkdir, readFile, rename, writeFile } from '../../runtime/fs-async.js';
import { basename, dirname, join } from 'node:path';

/** The file's meaning: a gateway id, or null for auto (also when the file is absent or empty). */
export type ModeFileContent = { kind: 'auto' } | { kind: 'gateway'; id: string };

export function parseModeFile(text: string): ModeFileContent {
  const value = text.trim();
  return value === '' || value === 'auto' ? { kind: 'auto' } : { kind: 'gateway', id: value };
}

/** Reads the mode file; absent means auto. Other read errors are thrown. */
export async function readModeFile(path: string): Promise<ModeFileContent> {
  try {
    return parseModeFile(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'auto' };
    throw error;
  }
}

/** Writes `auto` or the id (replacing the file atomically, creating its directory). */
export async function writeModeFile(path: string, gateway: string | null): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true, mode: 0o755 });
  const temporary = join(directory, `.${basename(path)}.${process.pid}.tmp`);
  await writeFile(temporary, `${gateway ?? 'auto'}\n`, { mode: 0o644 });
  await rename(temporary, path);
}
