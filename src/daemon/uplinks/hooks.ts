// post-replace.d: after each switch, every executable regular file of the directory runs, in name
// order, one after the other, with NetGWM's six arguments. Unlike NetGWM (os.system, so a shell
// re-splits the arguments) they are exec'd directly through the notify-script runner: no shell,
// a cleaned environment, a timeout that kills the hook's process group, one log record per run.

import { readdir, stat } from '../../runtime/fs-async.js';
import { join } from 'node:path';
import { runScript } from '../../scripts/runner.js';
import type { ScriptResult } from '../../scripts/types.js';
import type { Logger } from '../../runtime/log.js';
import { errorMessage } from '../../runtime/errors.js';
import { LOG, say } from '../../runtime/messages.js';

/** NetGWM's rule: regular files (symlinks followed) with the owner's execute bit; sorted by name. */
export async function listHookExecutables(directory: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  // Code-unit order, like Python's sorted() over str: independent of the locale.
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const executables: string[] = [];
  for (const name of names) {
    const path = join(directory, name);
    try {
      const info = await stat(path);
      if (info.isFile() && (info.mode & 0o100) !== 0) executables.push(path);
    } catch {
      // A dangling symlink or a file removed meanwhile is not a hook.
    }
  }
  return executables;
}

export interface RunHooksOptions {
  directory: string;
  args: readonly string[];
  /** Variables added to the (cleaned) environment of every hook. */
  env?: Readonly<Record<string, string>>;
  timeoutMs: number;
  logger: Logger;
  logContext?: Record<string, unknown>;
  signal?: AbortSignal;
}

export async function runPostReplaceHooks(options: RunHooksOptions): Promise<ScriptResult[]> {
  const results: ScriptResult[] = [];
  let hooks: string[];
  try {
    hooks = await listHookExecutables(options.directory);
  } catch (error) {
    say(options.logger, LOG.uplinkHooksUnlisted, {
      ...options.logContext,
      directory: options.directory,
      error: errorMessage(error),
    });
    return results;
  }
  for (const hook of hooks) {
    const run: Parameters<typeof runScript>[0] = {
      argv: [hook, ...options.args],
      label: `${options.env ? 'event hook' : 'post-replace.d'} ${hook}`,
      timeoutMs: options.timeoutMs,
      logger: options.logger,
    };
    if (options.logContext) run.logContext = options.logContext;
    if (options.env) run.env = { ...process.env, ...options.env };
    if (options.signal) run.signal = options.signal;
    results.push(await runScript(run));
  }
  return results;
}
