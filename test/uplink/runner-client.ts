// The test side of uplink-runner.ts and the small file fixtures the uplink namespace tests share:
// a post-replace.d (or event) directory whose one hook records its argv (and environment) to a
// file, and reading such files back as lines.

import type { SpawnOptions } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { distPath } from '../lab/dist.js';
import { JsonLinesChild } from '../lab/json-lines.js';
import type { Lab } from '../lab/lab.js';

/** Starts the compiled uplink-runner.ts inside `role`'s namespace and waits until it is ready. */
export async function startUplinkRunner(
  lab: Lab,
  role: string,
  options: SpawnOptions = {},
): Promise<JsonLinesChild> {
  const child = new JsonLinesChild(
    lab.spawnIn(role, [process.execPath, distPath('test/uplink/uplink-runner.ts')], options),
  );
  await child.waitForEvent((e) => e.event === 'ready', 10_000);
  return child;
}

/**
 * A hook directory under `dir` with one executable, `10-record`, that appends its arguments (and
 * `extra`, shell words such as "$ACTION") as one line to `out`. Returns the directory.
 */
export async function recordingHookDir(dir: string, name: string, out: string, extra = ''): Promise<string> {
  const hooks = join(dir, name);
  await mkdir(hooks, { recursive: true });
  const hook = join(hooks, '10-record');
  await writeFile(hook, `#!/bin/sh\necho ${extra ? `${extra} ` : ''}"$@" >> ${out}\n`);
  await chmod(hook, 0o755);
  return hooks;
}

/** Non-empty lines of a file; [] while it does not exist. */
export async function fileLines(path: string): Promise<string[]> {
  return (await readFile(path, 'utf8').catch(() => '')).split('\n').filter(Boolean);
}

/** NetGWM switch-log lines without their time stamps. */
export function withoutStamps(lines: readonly string[]): string[] {
  return lines.map((line) => line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /, ''));
}
