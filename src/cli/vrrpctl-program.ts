// vrrpctl's commands, as a function of (argv, io) → exit status so tests run it in-process with
// captured output. The executable wrapper is vrrpctl.ts.

import { basename, dirname, join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { ControlClientError, DEFAULT_REQUEST_TIMEOUT_MS, sendControlRequest } from '../control/client.js';
import { formatInstanceDetail, formatStats, formatStatusSummary } from '../control/format.js';
import { DEFAULT_SOCKET_PATH, SOCKET_ENV_VAR } from '../control/protocol.js';
import type {
  ReloadResult,
  StatsSnapshot,
  StatusSnapshot,
  UplinkPinResult,
} from '../control/status-types.js';
import { errorMessage } from '../runtime/errors.js';
import { registerAdminCommands, type AdminRequest } from './vrrpctl-admin.js';

export interface VrrpctlIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Whether stdout is a terminal: colours only then. */
  isTTY: boolean;
  /** Terminal width when known. */
  columns?: number;
  /** Clock for relative ages (ms since the epoch). */
  now?: () => number;
}

/** Exit statuses: scripts can tell "the daemon said no" from "there is no daemon to ask". */
export const VrrpctlExit = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const;

interface GlobalOptions {
  socket?: string;
  netns?: string;
  timeout: number;
}

class CommandFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The control socket of the daemon running with net_namespace `name`, as seen from outside it. */
export function namespacedSocketPath(name: string): string {
  if (name === '' || name === '.' || name === '..' || name.includes('/'))
    throw new CommandFailure(`'${name}' is not a network namespace name`, VrrpctlExit.usage);
  return join(dirname(DEFAULT_SOCKET_PATH), name, basename(DEFAULT_SOCKET_PATH));
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new CommanderError(2, 'vrrpctl.timeout', `invalid timeout "${value}"`);
  return seconds;
}

/** What each vrrpctl command does; the man page build passes no-ops (it only reads the definitions). */
export interface VrrpctlActions {
  status(instance: string | undefined, options: { json?: boolean }): Promise<void>;
  stats(options: { clear?: boolean; json?: boolean }): Promise<void>;
  reload(): Promise<void>;
  garp(instance: string): Promise<void>;
  uplinkPin(gateway: string, options: { group?: string }): Promise<void>;
  /** The planned-maintenance commands (vrrpctl-admin.ts) send their requests through this. */
  adminRequest: AdminRequest;
  stdout(text: string): void;
  env: Record<string, string | undefined>;
}

/**
 * vrrpctl's commands and options, defined once: runVrrpctl wires them to the control socket, and the
 * package build renders vrrpctl(8) and the bash completion from them.
 */
export function vrrpctlProgram(actions: VrrpctlActions): Command {
  const program = new Command('vrrpctl')
    .description('Query and control a running vrrpd')
    .addOption(
      new Option(
        '-s, --socket <path>',
        `control socket (default: $${SOCKET_ENV_VAR} or ${DEFAULT_SOCKET_PATH})`,
      ),
    )
    .addOption(
      new Option(
        '-N, --netns <name>',
        'the vrrpd running in network namespace NAME (net_namespace): its socket /run/vrrpd/NAME/vrrpd.sock',
      ).conflicts('socket'),
    )
    .addOption(
      new Option('-t, --timeout <seconds>', 'how long to wait for an answer')
        .argParser(parseSeconds)
        .default(DEFAULT_REQUEST_TIMEOUT_MS / 1000),
    )
    .showHelpAfterError('(run vrrpctl --help for usage)');

  program
    .command('status')
    .description('show every instance (a table), or one instance in detail')
    .argument('[instance]', 'instance name (vrrp_instance NAME)')
    .option('--json', 'print the status as JSON')
    .action((instance: string | undefined, options: { json?: boolean }) => actions.status(instance, options));

  program
    .command('stats')
    .description('show advertisement, transition and drop counters')
    .option('--clear', 'reset the counters after showing them')
    .option('--json', 'print the counters as JSON')
    .action((options: { clear?: boolean; json?: boolean }) => actions.stats(options));

  program
    .command('reload')
    .description('reload the configuration (like SIGHUP) and report whether it was accepted')
    .action(() => actions.reload());

  program
    .command('garp')
    .description("resend gratuitous ARP for an instance's virtual addresses")
    .argument('<instance>', 'instance name')
    .action((instance: string) => actions.garp(instance));

  registerAdminCommands(program, actions.adminRequest, actions.stdout, actions.env);

  const uplink = program
    .command('uplink')
    .description('act on an uplink group (NetGWM-style gateway failover)');
  uplink
    .command('pin')
    .description(
      "pin the default route to GATEWAY whatever its health, or 'auto' to let go (writes NetGWM's /var/lib/netgwm/mode)",
    )
    .argument('<gateway>', "gateway id from netgwm.yml, or 'auto'")
    .option('-g, --group <name>', 'uplink_group name (needed when several run)')
    .action((gateway: string, options: { group?: string }) => actions.uplinkPin(gateway, options));
  return program;
}

/** The definitions alone, with actions that do nothing: for the man page and completion builds. */
export function vrrpctlDefinitions(): Command {
  const none = () => Promise.resolve();
  return vrrpctlProgram({
    status: none,
    stats: none,
    reload: none,
    garp: none,
    uplinkPin: none,
    adminRequest: () => Promise.resolve({}),
    stdout: () => undefined,
    env: {},
  });
}

export async function runVrrpctl(args: string[], io: VrrpctlIo): Promise<number> {
  const now = io.now ?? Date.now;
  const color = io.isTTY && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb';
  const width = io.columns !== undefined && io.columns >= 40 ? io.columns : 80;
  let exitCode: number = VrrpctlExit.ok;

  const program = vrrpctlProgram({
    status: async (instance, options) => {
      const result = await request('status', instance === undefined ? {} : { instance });
      if (options.json) return printJson(result);
      expectShape(result, 'status');
      const snapshot = result as unknown as StatusSnapshot;
      if (instance !== undefined && snapshot.instances[0] !== undefined) {
        io.stdout(formatInstanceDetail(snapshot.instances[0], { now: now(), color, width }));
      } else {
        io.stdout(formatStatusSummary(snapshot, { now: now(), color, width }));
      }
    },
    stats: async (options) => {
      const result = await request('stats', { clear: options.clear === true });
      if (options.json) return printJson(result);
      expectShape(result, 'stats');
      io.stdout(formatStats(result as unknown as StatsSnapshot, { now: now(), color, width }));
      if (options.clear) io.stdout('Counters cleared.\n');
    },
    reload: async () => {
      const result = await request('reload', {});
      expectShape(result, 'reload');
      const outcome = result as unknown as ReloadResult;
      if (outcome.accepted) {
        io.stdout('vrrpd: new configuration accepted\n');
        return;
      }
      const errors = Array.isArray(outcome.errors) ? outcome.errors : [];
      io.stderr(
        `vrrpctl: reload rejected, vrrpd keeps its running configuration (${errors.length} error(s))\n`,
      );
      for (const error of errors) io.stderr(`  ${error}\n`);
      exitCode = VrrpctlExit.failed;
    },
    garp: async (instance) => {
      await request('garp', { instance });
      io.stdout(`vrrpd: gratuitous ARP sent for ${instance}\n`);
    },
    uplinkPin: async (gateway, options) => {
      const args: Record<string, unknown> = { gateway: gateway === 'auto' ? null : gateway };
      if (options.group !== undefined) args.group = options.group;
      const result = (await request('uplinkPin', args)) as UplinkPinResult;
      if (!isRecord(result) || result.ok !== true) {
        throw new CommandFailure('unexpected uplinkPin reply from vrrpd', VrrpctlExit.failed);
      }
      const group = result.group ?? options.group ?? '';
      io.stdout(
        result.pinned === null
          ? `vrrpd: uplink group ${group} selects its gateway automatically again (${result.modeFile}: auto)\n`
          : `vrrpd: uplink group ${group} pinned to ${result.pinned} (${result.modeFile})\n`,
      );
    },
    adminRequest: (command, commandArgs, timeoutSeconds) => request(command, commandArgs, timeoutSeconds),
    stdout: io.stdout,
    env: io.env,
  });
  // Subcommands copy these settings only when created, so each one gets them here as well.
  const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap(everyCommand)];
  for (const command of everyCommand(program)) {
    command.exitOverride().configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
    });
  }

  async function request(
    command: string,
    commandArgs: Record<string, unknown>,
    atLeastSeconds = 0,
  ): Promise<unknown> {
    const globals = program.opts<GlobalOptions>();
    // A daemon with net_namespace NAME has /run/vrrpd/NAME mounted as its /run/vrrpd (netns-entry.ts).
    const namespaced = globals.netns === undefined ? undefined : namespacedSocketPath(globals.netns);
    const socketPath = globals.socket ?? namespaced ?? io.env[SOCKET_ENV_VAR] ?? DEFAULT_SOCKET_PATH;
    let reply;
    try {
      reply = await sendControlRequest(command, commandArgs, {
        socketPath,
        timeoutMs: Math.max(globals.timeout, atLeastSeconds) * 1000,
      });
    } catch (error) {
      if (error instanceof ControlClientError)
        throw new CommandFailure(error.message, VrrpctlExit.unreachable);
      throw error;
    }
    if (!reply.ok)
      throw new CommandFailure(`${reply.error.message} (${reply.error.code})`, VrrpctlExit.failed);
    return reply.result;
  }

  function expectShape(result: unknown, what: string): asserts result is Record<string, unknown> {
    if (!isRecord(result) || (what !== 'reload' && !Array.isArray(result.instances))) {
      throw new CommandFailure(`unexpected ${what} reply from vrrpd`, VrrpctlExit.failed);
    }
  }

  const printJson = (value: unknown): void => io.stdout(`${JSON.stringify(value, null, 2)}\n`);

  try {
    if (args.length === 0) {
      program.outputHelp();
      return VrrpctlExit.usage;
    }
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommandFailure) {
      io.stderr(`vrrpctl: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof CommanderError) {
      // Help and version are successes; commander has already printed its usage error.
      return error.exitCode === 0 ? VrrpctlExit.ok : VrrpctlExit.usage;
    }
    io.stderr(`vrrpctl: ${errorMessage(error)}\n`);
    return VrrpctlExit.failed;
  }
}
