// How the lab runs vrrpd: as the systemd unit runs it. The unit starts `/usr/bin/node <V8 flags>
// /usr/bin/vrrpd …` (issue 15: the flags are there because they measurably shrink the daemon);
// here node is this node and /usr/bin/vrrpd is the bundle `npm run build` writes (dist/vrrpd.cjs),
// so every namespace test and benchmark exercises what the package ships, flags included.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './dist.js';

/** The node options of the unit's ExecStart= (the words between the interpreter and the script). */
export function unitNodeFlags(unitText: string): string[] {
  const execStart = /^ExecStart=(.*)$/m.exec(unitText)?.[1];
  if (!execStart) throw new Error('the unit has no ExecStart=');
  const words = execStart.trim().split(/\s+/);
  if (!/\/node$/.test(words[0] ?? '')) return [];
  const script = words.findIndex((word, i) => i > 0 && !word.startsWith('-'));
  return words.slice(1, script < 0 ? undefined : script);
}

let cached: string[] | null = null;

/** argv before vrrpd's own options: node, the unit's flags, the bundle. */
export function vrrpdCommand(): string[] {
  if (cached) return cached;
  const root = packageRoot();
  const bundle = join(root, 'dist', 'vrrpd.cjs');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\``);
  const flags = unitNodeFlags(readFileSync(join(root, 'systemd', 'vrrpd.service'), 'utf8'));
  cached = [process.execPath, ...flags, bundle];
  return cached;
}
