// `vrrpd`'s command line, defined once: the executable (vrrpd.ts) parses with it, and the package
// build renders vrrpd(8) and the bash completion from it, so --help and the man page cannot drift.
// keepalived's harmless flags are accepted (hidden from --help) so a KEEPALIVED_OPTIONS line keeps working.

import { Command, Option } from 'commander';
import { NETGWM_DEFAULT_CONFIG_PATH } from '../config/netgwm/constants.js';
import { DEFAULT_SOCKET_PATH, SOCKET_ENV_VAR } from '../control/protocol.js';
import { VRRPD_VERSION } from './version.js';

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
}

/** vrrpd's options: parsed by vrrpd.ts, and the source of vrrpd(8) and its bash completion. */
export function vrrpdProgram(): Command {
  const command = new Command('vrrpd')
    .description('VRRP router-redundancy daemon (keepalived-compatible configuration and scripts)')
    .option('-f, --use-file <FILE>', 'configuration file (keepalived.conf syntax)', DEFAULT_CONFIG_FILE)
    .option('-t, --config-test', 'check the configuration, print every problem, exit (keepalived exit codes)')
    .option('--dump-config', 'print the configuration as understood (JSON) and exit')
    .option(
      '--strict',
      'refuse the mistakes keepalived reports and runs past (unknown keywords, bad values, dangling references…); vrrpd otherwise runs past them as keepalived does',
    )
    .option(
      '--offline',
      'with -t: do not check that the interfaces the configuration names exist on this host (checking a file for another router)',
    )
    .option('--no-interfaces', 'the same as --offline')
    .option('-i, --config-id <ID>', 'select @ID lines (default: short host name)')
    .option('--socket <PATH>', `control socket (env ${SOCKET_ENV_VAR}; default ${DEFAULT_SOCKET_PATH})`)
    .option('--socket-group <GROUP>', 'group allowed to use the control socket (default: root only)')
    .option('--state-dir <DIR>', 'state directory', DEFAULT_STATE_DIR)
    .option('-p, --pid <FILE>', `pid file (default ${DEFAULT_PID_FILE})`)
    .option('-r, --vrrp_pid <FILE>', 'pid file (keepalived VRRP child pid file; same as --pid)')
    .option('--metrics-listen <HOST:PORT>', 'serve Prometheus metrics, e.g. 127.0.0.1:9650 (off by default)')
    .addOption(
      new Option('--log-level <LEVEL>', 'least severe log level written')
        .choices(['trace', 'debug', 'info', 'warn', 'error'])
        .default('info'),
    )
    .option(
      '--immediate-release',
      'on stop, remove the virtual addresses with the priority-0 advert (the RFC, keepalived) instead of keeping them until the new master speaks',
    )
    .option(
      '--uplinks-only',
      'no VRRP: only NetGWM-style default-gateway failover from a netgwm.yml (see -c)',
    )
    .option(
      '-c, --uplink-config <FILE>',
      `netgwm.yml for --uplinks-only (default ${NETGWM_DEFAULT_CONFIG_PATH})`,
    )
    .version(VRRPD_VERSION, '-v, --version');
  // keepalived flags that change nothing for vrrpd (foreground, logging to stdout, VRRP only).
  const harmless: Array<[string, string]> = [
    ['-n, --dont-fork', 'accepted for keepalived compatibility (vrrpd always runs in the foreground)'],
    ['-l, --log-console', 'accepted for keepalived compatibility (logs go to stdout)'],
    ['-D, --log-detail', 'accepted for keepalived compatibility'],
    ['-P, --vrrp', 'accepted for keepalived compatibility (vrrpd only does VRRP)'],
    ['-G, --no-syslog', 'accepted for keepalived compatibility'],
    ['-d, --dump-conf', 'accepted for keepalived compatibility (see --dump-config)'],
    ['-S, --log-facility <N>', 'accepted for keepalived compatibility'],
  ];
  for (const [flags, description] of harmless) command.addOption(new Option(flags, description).hideHelp());
  return command;
}
