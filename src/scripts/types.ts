// Shapes shared by the script runner, the notify queue, the trackers and the security checks.
// The config parser produces ScriptSpec; this local copy is structurally identical so src/scripts
// does not depend on src/config (the daemon passes config values straight through).

/** One configured script, as keepalived parses `notify_master "/srv/up.sh arg" user group`. */
export interface ScriptSpec {
  /** The command as written in the config (for logs and error messages). */
  command: string;
  /** argv already split the way keepalived splits it: argv[0] is the program. */
  argv: string[];
  /** `user [group]` given after the command; falls back to the global `script_user`. */
  user?: string;
  group?: string;
  /** Where the script was configured, so every message can name FILE:LINE. */
  source: { file: string; line: number };
}

/** The numeric identity a script runs under. */
export interface Credentials {
  uid: number;
  gid: number;
}

/** How a script run ended. `spawn_error` covers ENOENT/EACCES/credential failures: never thrown. */
export type ScriptOutcome = 'exited' | 'signalled' | 'timeout' | 'spawn_error' | 'aborted';

export interface ScriptResult {
  /** Label used in logs, e.g. `notify_master VI_1` or `vrrp_script chk_uplink`. */
  label: string;
  /** The argv that was (or would have been) executed, before any /bin/sh fallback. */
  argv: string[];
  pid: number | null;
  outcome: ScriptOutcome;
  /** Exit status when the process exited by itself (or after SIGTERM with a handler). */
  exitCode: number | null;
  /** Signal that ended the process, if any. */
  signal: string | null;
  /** True when the run hit its timeout and was killed (outcome is then `timeout`). */
  timedOut: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** Set for `spawn_error`: the errno code (ENOENT, EACCES, EPERM, …) and a readable message. */
  error: { code: string; message: string } | null;
}

/** A script counts as a success only when it ran and exited 0 (keepalived's rule for vrrp_script). */
export function isSuccess(result: ScriptResult): boolean {
  return result.outcome === 'exited' && result.exitCode === 0;
}
