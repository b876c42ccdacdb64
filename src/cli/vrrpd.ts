#!/usr/bin/env node
// `vrrpd`: run the daemon in the foreground, or check / dump a keepalived-style configuration.
// keepalived's harmless flags are accepted so an existing KEEPALIVED_OPTIONS line keeps working.
// `vrrpd --uplinks-only -c netgwm.yml` runs the uplink module alone, as NetGWM is used.

import { hostname } from 'node:os';
import { configTest, dumpConfig, KEEPALIVED_EXIT, netgwmConfigTest } from './config-commands.js';
import { NETGWM_DEFAULT_CONFIG_PATH } from '../config/netgwm/constants.js';
import { DEFAULT_SOCKET_PATH, SOCKET_ENV_VAR } from '../control/protocol.js';
import { parseDaemonArguments } from './vrrpd-argv.js';
import { enterForRun, enterForTest, namespaceOptionError } from './netns-start.js';
import { DEFAULT_PID_FILE, type CliOptions } from './vrrpd-options.js';
import { asError, errorMessage } from '../runtime/errors.js';
import { createLogger } from '../runtime/log.js';
import { LOG, say } from '../runtime/messages.js';
import type { HostLinks } from '../config/finish/route-vrfs.js';

/** Exits with a usage error as commander does (the fast parse never prints one itself). */
async function usageError(message: string): Promise<never> {
  const { vrrpdProgram } = await import('./vrrpd-program.js');
  return vrrpdProgram().error(message);
}

async function main(argv: string[]): Promise<number> {
  // SIGHUP's default action kills the process: until the daemon installs its reload handler, a
  // HUP (a reload sent too early by a script) is ignored rather than fatal.
  process.on('SIGHUP', () => undefined);
  // commander (and its memory) only for --help, --version and mistakes: see vrrpd-argv.ts.
  let options = parseDaemonArguments(argv.slice(2));
  if (options === null) {
    const { vrrpdProgram } = await import('./vrrpd-program.js');
    const command = vrrpdProgram();
    command.parse(argv);
    options = command.opts<CliOptions>();
  }
  if (options.uplinksOnly) return uplinksOnly(options);
  if (options.uplinkConfig !== undefined) {
    return usageError(
      'vrrpd: -c/--uplink-config is for --uplinks-only; with VRRP, name the netgwm.yml in an uplink_group block',
    );
  }
  const configId = options.configId ?? hostname().split('.')[0] ?? '';
  const file = options.useFile;
  const strict = options.strict ?? false;
  const namespaceError = namespaceOptionError(options.namespace);
  if (namespaceError) return usageError(namespaceError);
  // net_namespace / -s: entered by exec before anything opens a socket (netns-start.ts).
  const choice = { file, configId, strict, ...(options.namespace ? { override: options.namespace } : {}) };
  if (options.configTest) {
    const offline = options.offline || options.interfaces === false;
    const netns = offline ? null : enterForTest(choice);
    for (const line of netns?.lines ?? []) process.stderr.write(`${line}\n`);
    if (netns?.exitCode !== undefined) return netns.exitCode;
    const host = offline || !netns?.checkInterfaces ? undefined : await listInterfaces();
    const namespaces = netns?.namespaces;
    const result = configTest({
      file,
      configId,
      strict,
      ...(host ? { interfaces: host.names, vrfTables: host.vrfTables } : {}),
      ...(namespaces ? { namespaces } : {}),
    });
    // The parser's lines end with its summary; script problems go before it, and change it.
    const diagnostics = result.lines.slice(0, -1);
    for (const line of diagnostics) process.stderr.write(`${line}\n`);
    if (result.exitCode === KEEPALIVED_EXIT.CONFIG) {
      process.stderr.write(`${result.lines.at(-1)}\n`);
      return result.exitCode;
    }
    const { auditConfigScripts } = await import('../daemon/scripts.js');
    const audit = auditConfigScripts(result.result.config);
    for (const line of audit.lines) process.stderr.write(`${line}\n`);
    if (audit.rootWarning) process.stderr.write(`${file}: warning: ${audit.rootWarning}\n`);
    if (audit.errors > 0)
      process.stderr.write(`${file}: ${audit.errors} script error(s); vrrpd will not run these scripts\n`);
    const { scriptTestStatus } = await import('./script-test-status.js');
    const { status, violation } = scriptTestStatus({
      parseStatus: result.exitCode,
      instances: result.result.config.instances.length,
      enableScriptSecurity: result.result.config.globals.enableScriptSecurity,
      scriptsFound: audit.found,
    });
    process.stderr.write(`${result.lines.at(-1)}\n`);
    if (violation) process.stderr.write(`${file}: warning: ${violation}\n`);
    return status;
  }
  if (options.dumpConfig) {
    const result = dumpConfig({ file, configId, strict });
    for (const line of result.lines) process.stderr.write(`${line}\n`);
    process.stdout.write(`${result.json}\n`);
    return result.exitCode;
  }
  const entered = enterForRun(choice);
  if (!entered.ok) {
    process.stderr.write(`vrrpd: ${entered.message} [VRRPD_NETNS_FAILED]\n`);
    say(createLogger({}), LOG.netnsFailed, { netns: entered.name, err: entered.message });
    return KEEPALIVED_EXIT.CONFIG;
  }
  const { runDaemon } = await import('../daemon/run.js');
  return runDaemon({
    ...(entered.netns ? { netns: entered.netns } : {}),
    ...(entered.parsed ? { parsed: entered.parsed } : {}),
    configFile: file,
    configId,
    socketPath: options.socket ?? process.env[SOCKET_ENV_VAR] ?? DEFAULT_SOCKET_PATH,
    ...(options.socketGroup ? { socketGroup: options.socketGroup } : {}),
    stateDir: options.stateDir,
    pidFile: options.pid ?? options.vrrp_pid ?? DEFAULT_PID_FILE,
    ...(options.metricsListen ? { metricsListen: options.metricsListen } : {}),
    logLevel: options.logLevel,
    immediateRelease: options.immediateRelease === true,
    strict,
  });
}

/**
 * The host's interfaces for `-t` (keepalived refuses a configuration naming an absent one). If
 * they cannot be listed, the check is skipped with a note rather than failing the test.
 */
async function listInterfaces(): Promise<HostLinks | undefined> {
  const { hostLinks } = await import('../daemon/config-files.js');
  try {
    return await hostLinks();
  } catch (error) {
    const reason = errorMessage(error);
    process.stderr.write(
      `vrrpd: warning: cannot list this host's interfaces (${reason}); interface names are not checked (as with --offline)\n`,
    );
    return undefined;
  }
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

// A bug must never show up as a bare stack trace: one structured line with a code (the stack
// as a field, for the report), and the daemon goes on — its VIPs stay where the protocol put them.
const internalLogger = createLogger({ pretty: false });
const reportInternal = (where: string, error: unknown): void =>
  say(internalLogger, LOG.internalFailure, { where, err: errorMessage(error), stack: asError(error).stack });
process.on('uncaughtException', (error) => reportInternal('uncaught exception', error));
process.on('unhandledRejection', (reason) => reportInternal('unhandled rejection', reason));

main(process.argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    reportInternal('start-up', error);
    process.stderr.write(`vrrpd: internal error at start-up: ${errorMessage(error)} (VRRPD_E_INTERNAL)\n`);
    process.exit(KEEPALIVED_EXIT.PROGRAM_ERROR);
  },
);
