// vrrpd's options as data, without commander: the daemon's start parses them with node's own
// parseArgs (vrrpd-argv.ts) so the running daemon never loads commander (issue 15: it costs ~3 MiB
// of resident memory for a parse done once), while --help, --version, the man page, the bash
// completion and every error message come from the commander program built from this same
// table (vrrpd-program.ts).

import { NETGWM_DEFAULT_CONFIG_PATH } from '../config/netgwm/constants.js';
import { DEFAULT_SOCKET_PATH, SOCKET_ENV_VAR } from '../control/protocol.js';

export const DEFAULT_CONFIG_FILE = '/etc/vrrpd/vrrpd.conf';
export const DEFAULT_STATE_DIR = '/var/lib/vrrpd';
export const DEFAULT_PID_FILE = '/run/vrrpd/vrrpd.pid';

export interface CliOptions {
  useFile: string;
  configTest?: boolean;
  dumpConfig?: boolean;
  configId?: string;
  socket?: string;
  socketGroup?: string;
  stateDir: string;
  pid?: string;
  vrrp_pid?: string;
  metricsListen?: string;
  logLevel: string;
  uplinksOnly?: boolean;
  uplinkConfig?: string;
  immediateRelease?: boolean;
  strict?: boolean;
  offline?: boolean;
  /** false with --no-interfaces (the same as --offline). */
  interfaces?: boolean;
  /** -s: the network namespace to run in, instead of the configuration's net_namespace. */
  namespace?: string;
}

export interface OptionSpec {
  /** commander's flags: `-f, --use-file <FILE>`, `--strict`, `--no-interfaces`. */
  flags: string;
  description: string;
  default?: string;
  choices?: readonly string[];
  /** keepalived's flags that change nothing for vrrpd: accepted, hidden from --help. */
  hidden?: boolean;
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;

export const VRRPD_OPTIONS: readonly OptionSpec[] = [
  {
    flags: '-f, --use-file <FILE>',
    description: 'configuration file (keepalived.conf syntax)',
    default: DEFAULT_CONFIG_FILE,
  },
  {
    flags: '-t, --config-test',
    description: 'check the configuration, print every problem, exit (keepalived exit codes)',
  },
  { flags: '--dump-config', description: 'print the configuration as understood (JSON) and exit' },
  {
    flags: '--strict',
    description:
      'refuse the mistakes keepalived reports and runs past (unknown keywords, bad values, dangling references…); vrrpd otherwise runs past them as keepalived does',
  },
  {
    flags: '--offline',
    description:
      'with -t: do not check that the interfaces the configuration names exist on this host (checking a file for another router)',
  },
  { flags: '--no-interfaces', description: 'the same as --offline' },
  { flags: '-i, --config-id <ID>', description: 'select @ID lines (default: short host name)' },
  {
    flags: '-s, --namespace <NAME>',
    description:
      "run in network namespace NAME (/run/netns/NAME) instead of the configuration's net_namespace, as keepalived's -s",
  },
  {
    flags: '--socket <PATH>',
    description: `control socket (env ${SOCKET_ENV_VAR}; default ${DEFAULT_SOCKET_PATH})`,
  },
  {
    flags: '--socket-group <GROUP>',
    description: 'group allowed to use the control socket (default: root only)',
  },
  { flags: '--state-dir <DIR>', description: 'state directory', default: DEFAULT_STATE_DIR },
  { flags: '-p, --pid <FILE>', description: `pid file (default ${DEFAULT_PID_FILE})` },
  {
    flags: '-r, --vrrp_pid <FILE>',
    description: 'pid file (keepalived VRRP child pid file; same as --pid)',
  },
  {
    flags: '--metrics-listen <HOST:PORT>',
    description: 'serve Prometheus metrics, e.g. 127.0.0.1:9650 (off by default)',
  },
  {
    flags: '--log-level <LEVEL>',
    description: 'least severe log level written',
    choices: LOG_LEVELS,
    default: 'info',
  },
  {
    flags: '--immediate-release',
    description:
      'on stop, remove the virtual addresses with the priority-0 advert (the RFC, keepalived) instead of keeping them until the new master speaks',
  },
  {
    flags: '--uplinks-only',
    description: 'no VRRP: only NetGWM-style default-gateway failover from a netgwm.yml (see -c)',
  },
  {
    flags: '-c, --uplink-config <FILE>',
    description: `netgwm.yml for --uplinks-only (default ${NETGWM_DEFAULT_CONFIG_PATH})`,
  },
  // keepalived flags that change nothing for vrrpd (foreground, logging to stdout, VRRP only).
  {
    flags: '-n, --dont-fork',
    description: 'accepted for keepalived compatibility (vrrpd always runs in the foreground)',
    hidden: true,
  },
  {
    flags: '-l, --log-console',
    description: 'accepted for keepalived compatibility (logs go to stdout)',
    hidden: true,
  },
  { flags: '-D, --log-detail', description: 'accepted for keepalived compatibility', hidden: true },
  {
    flags: '-P, --vrrp',
    description: 'accepted for keepalived compatibility (vrrpd only does VRRP)',
    hidden: true,
  },
  { flags: '-G, --no-syslog', description: 'accepted for keepalived compatibility', hidden: true },
  {
    flags: '-d, --dump-conf',
    description: 'accepted for keepalived compatibility (see --dump-config)',
    hidden: true,
  },
  { flags: '-S, --log-facility <N>', description: 'accepted for keepalived compatibility', hidden: true },
];

export interface ParsedFlags {
  short?: string;
  /** The long name without `--` and without a `no-` negation. */
  long: string;
  negated: boolean;
  takesValue: boolean;
  /** The key commander gives the value: the long name in camelCase (`use-file` → useFile). */
  key: string;
}

/** Reads commander's flag syntax the way commander does for the shapes the table uses. */
export function parseFlags(flags: string): ParsedFlags {
  const match = /^(?:-(\w), )?--([\w-]+)(?: <[^>]+>)?$/.exec(flags);
  if (!match) throw new Error(`unsupported option flags: ${flags}`);
  const negated = match[2]!.startsWith('no-');
  const long = negated ? match[2]!.slice(3) : match[2]!;
  return {
    ...(match[1] ? { short: match[1] } : {}),
    long,
    negated,
    takesValue: flags.includes('<'),
    key: long.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
  };
}
