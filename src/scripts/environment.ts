// The environment a script sees. Scripts may run as root, so variables that let whoever started
// the daemon inject code into them (dynamic-loader hooks, shell start-up files, field separators)
// are removed, as keepalived does; everything else passes through so users' scripts keep working.

/** PATH given to scripts when the daemon itself has none (systemd units often start with a minimal env). */
export const DEFAULT_SCRIPT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Variables removed by name. LD_* is removed by prefix (LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT, …)
 * and BASH_FUNC_* because exported bash functions run code when bash starts.
 */
const REMOVED_VARIABLES: ReadonlySet<string> = new Set([
  'IFS',
  'CDPATH',
  'ENV',
  'BASH_ENV',
  'SHELLOPTS',
  'BASHOPTS',
  'PS4',
  'GLOBIGNORE',
  'GCONV_PATH',
  'GETCONF_DIR',
  'HOSTALIASES',
  'LOCALDOMAIN',
  'LOCPATH',
  'MALLOC_TRACE',
  'NIS_PATH',
  'NLSPATH',
  'RESOLV_HOST_CONF',
  'RES_OPTIONS',
  'TZDIR',
  // The daemon's own runtime knobs must not leak into scripts that happen to be Node programs.
  'NODE_OPTIONS',
]);

const REMOVED_PREFIXES: readonly string[] = ['LD_', 'BASH_FUNC_'];

export function isRemovedVariable(name: string): boolean {
  return REMOVED_VARIABLES.has(name) || REMOVED_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** A copy of `base` without the dangerous variables, with PATH defaulted when missing or empty. */
export function cleanScriptEnvironment(
  base: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const cleaned: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined || isRemovedVariable(name)) continue;
    cleaned[name] = value;
  }
  if (!cleaned.PATH) cleaned.PATH = DEFAULT_SCRIPT_PATH;
  return cleaned;
}
