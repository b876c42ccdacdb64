// vrrpctl's planned-maintenance commands (issue 14): handover, resume, demote. Who asks is taken
// from the environment (SUDO_USER, then the login name), as an audit trail shown by `status`.

import { userInfo } from 'node:os';
import { type Command, CommanderError, Option } from 'commander';

export type AdminRequest = (
  command: string,
  args: Record<string, unknown>,
  timeoutSeconds?: number,
) => Promise<unknown>;

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90`, `90s`, `15m`, `2h`, `1d` → milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(value.trim());
  const seconds = match ? Number(match[1]) * UNITS[match[2] || 's']! : NaN;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new CommanderError(2, 'vrrpctl.duration', `invalid duration "${value}" (e.g. 90s, 15m, 2h, 1d)`);
  }
  return Math.round(seconds * 1000);
}

function parsePriority(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 254) {
    throw new CommanderError(2, 'vrrpctl.priority', `invalid priority "${value}" (1..254)`);
  }
  return n;
}

function requester(env: Record<string, string | undefined>): string {
  if (env.SUDO_USER) return env.SUDO_USER;
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.LOGNAME ?? 'unknown';
  }
}

function targets(
  instance: string | undefined,
  all: boolean | undefined,
): { instances: string[]; all: boolean } {
  if (instance !== undefined && all)
    throw new CommanderError(2, 'vrrpctl.targets', 'name an instance or use --all, not both');
  if (instance === undefined && !all)
    throw new CommanderError(2, 'vrrpctl.targets', 'name an instance or use --all');
  return { instances: instance === undefined ? [] : [instance], all: all === true };
}

function acted(result: unknown): string {
  const instances = (result as { instances?: unknown }).instances;
  return Array.isArray(instances) ? instances.join(', ') : '';
}

/** Waiting covers a make-before-break release: up to any backup's Master_Down_Interval. */
const WAIT_TIMEOUT_SECONDS = 60;

export function registerAdminCommands(
  program: Command,
  request: AdminRequest,
  out: (text: string) => void,
  env: Record<string, string | undefined>,
): void {
  const reasonOption = () => new Option('--reason <TEXT>', 'why (shown in status and logged)').default('');

  program
    .command('handover')
    .description(
      'hand mastership over without stopping vrrpd: priority-0 advert, addresses kept until the new master speaks; the instance then stays BACKUP until `vrrpctl resume`',
    )
    .argument('[instance]', 'instance name (its sync group hands over as a whole)')
    .option('--all', 'every instance')
    .option('--to <PEER>', 'resign to this unicast peer only, so it is the one that takes over')
    .addOption(
      new Option('--for <DURATION>', 'resume by itself after this long (90s, 15m, 2h, 1d)').argParser(
        parseDuration,
      ),
    )
    .option('--wait', 'return once the handover finished (addresses released)')
    .addOption(reasonOption())
    .action(
      async (
        instance: string | undefined,
        options: { all?: boolean; to?: string; for?: number; wait?: boolean; reason: string },
      ) => {
        const args: Record<string, unknown> = {
          ...targets(instance, options.all),
          by: requester(env),
          reason: options.reason,
          wait: options.wait === true,
        };
        if (options.to !== undefined) args.to = options.to;
        if (options.for !== undefined) args.forMs = options.for;
        const result = await request('handover', args, options.wait ? WAIT_TIMEOUT_SECONDS : undefined);
        out(
          `vrrpd: ${acted(result)} handed over${options.wait ? '' : ' (releasing)'}; held in BACKUP until resumed\n`,
        );
      },
    );

  program
    .command('resume')
    .description('end maintenance and any runtime priority: the instance runs as configured again')
    .argument('[instance]', 'instance name')
    .option('--all', 'every instance')
    .addOption(reasonOption())
    .action(async (instance: string | undefined, options: { all?: boolean; reason: string }) => {
      const result = await request('resume', {
        ...targets(instance, options.all),
        by: requester(env),
        reason: options.reason,
      });
      out(`vrrpd: ${acted(result)} resumed\n`);
    });

  program
    .command('demote')
    .description('set a runtime priority (kept across reloads and restarts until `vrrpctl resume`)')
    .argument('<instance>', 'instance name')
    .addOption(new Option('--priority <N>', 'the new priority (1..254)').argParser(parsePriority))
    .addOption(new Option('--by <N>', 'lower the configured priority by N').argParser(parsePriority))
    .addOption(reasonOption())
    .action(async (instance: string, options: { priority?: number; by?: number; reason: string }) => {
      if ((options.priority === undefined) === (options.by === undefined)) {
        throw new CommanderError(2, 'vrrpctl.demote', 'give either --priority N or --by N');
      }
      const args: Record<string, unknown> = {
        instances: [instance],
        all: false,
        by: requester(env),
        reason: options.reason,
      };
      if (options.priority !== undefined) args.priority = options.priority;
      if (options.by !== undefined) args.delta = options.by;
      await request('demote', args);
      out(`vrrpd: ${instance} priority changed\n`);
    });
}
