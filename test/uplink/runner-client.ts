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

export interface CaseFiles {
  yml: string;
  /** The file the recording post-replace.d hook appends to. */
  hooks: string;
  modeFile: string;
  stateFile: string;
  logFile: string;
  statusDir: string;
  /** The file the recording event hook appends `ACTION GATEWAY DEVICE` to. */
  events: string;
}

export interface CaseYmlOptions {
  /** More lines of the vrrpd: section (two-space indented). */
  vrrpd?: string;
  /** Leave log_file out, so its default ($LOGS_DIRECTORY/netgwm.log) applies. */
  defaultLogFile?: boolean;
  intervalMs?: number;
  timeoutMs?: number;
  fall?: number;
  rise?: number;
}

/**
 * Writes netgwm.yml number `n` under `dir`: the NetGWM keys as given, then a vrrpd: section with
 * short timers and every path the module writes (hooks' output, switch log, state and mode files)
 * inside `dir`, so a test never touches the host's /var/lib or /var/log.
 */
export async function writeCaseFiles(
  dir: string,
  n: number,
  netgwm: string,
  options: CaseYmlOptions = {},
): Promise<CaseFiles> {
  const files: CaseFiles = {
    yml: join(dir, `netgwm-${n}.yml`),
    hooks: join(dir, `hooks-${n}.out`),
    modeFile: join(dir, `mode-${n}`),
    stateFile: join(dir, `state-${n}.json`),
    logFile: join(dir, `netgwm-${n}.log`),
    statusDir: join(dir, `run-${n}`),
    events: join(dir, `events-${n}.out`),
  };
  const hookDir = await recordingHookDir(dir, `post-replace-${n}.d`, files.hooks);
  const eventDir = await recordingHookDir(
    dir,
    `event-${n}.d`,
    files.events,
    '"$ACTION" "$GATEWAY" "$DEVICE"',
  );
  const lines = [
    `  interval: ${(options.intervalMs ?? 200) / 1000}`,
    `  timeout: ${(options.timeoutMs ?? 150) / 1000}`,
    '  count: 1',
    `  fall: ${options.fall ?? 3}`,
    `  rise: ${options.rise ?? 1}`,
    `  post_replace_dir: ${hookDir}`,
    `  event_dir: ${eventDir}`,
    ...(options.defaultLogFile ? [] : [`  log_file: ${files.logFile}`]),
    `  state_file: ${files.stateFile}`,
    `  mode_file: ${files.modeFile}`,
    `  status_dir: ${files.statusDir}`,
  ];
  await writeFile(files.yml, `${netgwm}\nvrrpd:\n${lines.join('\n')}\n${options.vrrpd ?? ''}`);
  return files;
}
