// Runs the compiled `vrrpctl` inside a router's namespace against that router's daemon, the way an
// operator on the router would (`vrrpctl --socket … status --json`).

import type { ExecResult, Lab } from '../lab/lab.js';
import type { RunningDaemon } from '../lab/daemons.js';
import { distPath } from '../lab/dist.js';

/** How to run vrrpctl: node with the compiled dist/src/cli/vrrpctl.js, unless told (['/usr/bin/vrrpctl']). */
const builtVrrpctl = (): string[] => [process.execPath, distPath('src/cli/vrrpctl.ts')];

export function vrrpctl(
  lab: Lab,
  daemon: RunningDaemon,
  args: string[],
  command: string[] = builtVrrpctl(),
): Promise<ExecResult> {
  return lab.exec(daemon.role, [...command, '--socket', daemon.socketPath, ...args], {
    check: false,
    timeoutMs: 10_000,
  });
}

/** `vrrpctl … ARGS --json` parsed; throws with vrrpctl's stderr when it did not exit 0. */
export async function vrrpctlJson(
  lab: Lab,
  daemon: RunningDaemon,
  args: string[],
  command: string[] = builtVrrpctl(),
): Promise<unknown> {
  const result = await vrrpctl(lab, daemon, [...args, '--json'], command);
  if (result.code !== 0) {
    throw new Error(`vrrpctl ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
  }
  return JSON.parse(result.stdout) as unknown;
}
