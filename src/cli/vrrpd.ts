#!/usr/bin/env node
// `vrrpd`: run the daemon in the foreground, or check / dump a keepalived-style configuration.
// keepalived's harmless flags are accepted so an existing KEEPALIVED_OPTIONS line keeps working.
// `vrrpd --uplinks-only -c netgwm.yml` runs the uplink module alone, as NetGWM is used.

import { hostname } from 'node:os';
import { Command, Option } from 'commander';
import { configTest, dumpConfig, KEEPALIVED_EXIT, netgwmConfigTest } from './config-commands.js';
import { NETGWM_DEFAULT_CONFIG_PATH } from '../config/netgwm/constants.js';
import { DEFAULT_SOCKET_PATH, SOCKET_ENV_VAR } from '../control/protocol.js';

export const DEFAULT_CONFIG_FILE = '/etc/vrrpd/vrrpd.conf';
export const DEFAULT_STATE_DIR = '/var/lib/vrrpd';
export const DEFAULT_PID_FILE = '/run/vrrpd/vrrpd.pid';

interface CliOptions {
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
}

function program(): Command {
  const command = new Command('vrrpd')
    .description('VRRP router-redundancy daemon (keepalived-compatible configuration and scripts)')
    .option('-f, --use-file <FILE>', 'configuration file (keepalived.conf syntax)', DEFAULT_CONFIG_FILE)
    .option('-t, --config-test', 'check the configuration, print every problem, exit (keepalived exit codes)')
    .option('--dump-config', 'print the configuration as understood (JSON) and exit')
    .option('-i, --config-id <ID>', 'select @ID lines (default: short host name)')
    .option('--socket <PATH>', `control socket (env ${SOCKET_ENV_VAR}; default ${DEFAULT_SOCKET_PATH})`)
    .option('--socket-group <GROUP>', 'group allowed to use the control socket (default: root only)')
    .option('--state-dir <DIR>', 'state directory', DEFAULT_STATE_DIR)
    .option('-p, --pid <FILE>', `pid file (default ${DEFAULT_PID_FILE})`)
    .option('-r, --vrrp_pid <FILE>', 'pid file (keepalived VRRP child pid file; same as --pid)')
    .option('--metrics-listen <HOST:PORT>', 'serve Prometheus metrics, e.g. 127.0.0.1:9650 (off by default)')
    .option('--log-level <LEVEL>', 'trace|debug|info|warn|error', 'info')
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
    .version('0.1.0', '-v, --version');
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

async function main(argv: string[]): Promise<number> {
  // SIGHUP's default action kills the process: until the daemon installs its reload handler, a
  // HUP (a reload sent too early by a script) is ignored rather than fatal.
  process.on('SIGHUP', () => undefined);
  const command = program();
  command.parse(argv);
  const options = command.opts<CliOptions>();
  if (options.uplinksOnly) return uplinksOnly(options);
  if (options.uplinkConfig !== undefined) {
    command.error(
      'vrrpd: -c/--uplink-config is for --uplinks-only; with VRRP, name the netgwm.yml in an uplink_group block',
    );
  }
  const configId = options.configId ?? hostname().split('.')[0] ?? '';
  const file = options.useFile;
  if (options.configTest) {
    const result = configTest({ file, configId });
    // The parser's lines end with its summary; script problems go before it, and change it.
    const diagnostics = result.lines.slice(0, -1);
    for (const line of diagnostics) process.stderr.write(`${line}\n`);
    if (result.exitCode !== KEEPALIVED_EXIT.OK) {
      process.stderr.write(`${result.lines.at(-1)}\n`);
      return result.exitCode;
    }
    const { auditConfigScripts } = await import('../daemon/scripts.js');
    const audit = auditConfigScripts(result.result.config);
    for (const line of audit.lines) process.stderr.write(`${line}\n`);
    if (audit.rootWarning) process.stderr.write(`${file}: warning: ${audit.rootWarning}\n`);
    if (audit.errors > 0) {
      process.stderr.write(`${file}: ${audit.errors} script error(s); vrrpd will not run these scripts\n`);
      return KEEPALIVED_EXIT.CONFIG_TEST_SECURITY;
    }
    process.stderr.write(`${result.lines.at(-1)}\n`);
    return KEEPALIVED_EXIT.OK;
  }
  if (options.dumpConfig) {
    const result = dumpConfig({ file, configId });
    for (const line of result.lines) process.stderr.write(`${line}\n`);
    process.stdout.write(`${result.json}\n`);
    return result.exitCode;
  }
  const { runDaemon } = await import('../daemon/run.js');
  return runDaemon({
    configFile: file,
    configId,
    socketPath: options.socket ?? process.env[SOCKET_ENV_VAR] ?? DEFAULT_SOCKET_PATH,
    ...(options.socketGroup ? { socketGroup: options.socketGroup } : {}),
    stateDir: options.stateDir,
    pidFile: options.pid ?? options.vrrp_pid ?? DEFAULT_PID_FILE,
    ...(options.metricsListen ? { metricsListen: options.metricsListen } : {}),
    logLevel: options.logLevel,
    immediateRelease: options.immediateRelease === true,
  });
}

/** `vrrpd --uplinks-only [-c netgwm.yml] [-t | --dump-config]`. */
async function uplinksOnly(options: CliOptions): Promise<number> {
  const file = options.uplinkConfig ?? NETGWM_DEFAULT_CONFIG_PATH;
  if (options.configTest || options.dumpConfig) {
    const result = netgwmConfigTest({ file });
    for (const line of result.lines) process.stderr.write(`${line}\n`);
    if (options.dumpConfig && result.config)
      process.stdout.write(`${JSON.stringify(result.config, null, 2)}\n`);
    return result.exitCode;
  }
  const { runStandaloneUplinks } = await import('../daemon/uplinks/run-standalone.js');
  return runStandaloneUplinks({
    configPath: file,
    socketPath: options.socket ?? process.env[SOCKET_ENV_VAR] ?? DEFAULT_SOCKET_PATH,
    ...(options.socketGroup ? { socketGroup: options.socketGroup } : {}),
    pidFile: options.pid ?? options.vrrp_pid ?? DEFAULT_PID_FILE,
    ...(options.metricsListen ? { metricsListen: options.metricsListen } : {}),
    logLevel: options.logLevel,
  });
}

main(process.argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `vrrpd: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(KEEPALIVED_EXIT.PROGRAM_ERROR);
  },
);
