// The daemon's uplink groups: one UplinkManager per `uplink_group` block, each following the VRRP
// instance or sync group its block names (or none: standalone, it always owns its route). The
// daemon calls followVrrp() after every transition; the new roles are worked out from the
// instances' current states (src/uplink/vrrp-follow.ts) and only changes reach the managers.
// Start, reload and stop run one after the other. A group whose netgwm.yml cannot be used, or
// that cannot start, is logged and shown in an error state (status, metrics); VRRP keeps running
// without it. After a reload with a broken yml, a running group keeps its previous one.

import type { UplinkGroupStatus, UplinkStatus } from '../../control/status-types.js';
import type { FailedUplinkGroup, LoadedUplinkGroup } from '../../config/netgwm/types.js';
import type { UplinkGroupDecl } from '../../config/model/types.js';
import type { UplinkRole } from '../../uplink/types.js';
import { uplinkRoleForFollow, type VrrpView } from '../../uplink/vrrp-follow.js';
import { UplinkManager, type PinOutcome, type UplinkManagerDeps } from './manager.js';
import type { Logger } from '../../runtime/log.js';
import { errorMessage } from '../../runtime/errors.js';
import { LOG, say } from '../../runtime/messages.js';

export interface UplinkGroupsOptions {
  logger: Logger;
  /** The kernel adapters and, in tests, fakes for the rest of a manager's I/O. */
  deps: UplinkManagerDeps;
  /** What the VRRP instances are doing now. */
  vrrpView: () => VrrpView;
}

interface RunningGroup {
  decl: UplinkGroupDecl;
  manager: UplinkManager;
  /** The last role handed to the manager. */
  role: UplinkRole;
  /** Set while the file on disk is broken and the previous one keeps running. */
  error: string | null;
}

/** A group that does not run: its yml cannot be used, or it failed to start. */
interface BrokenGroup {
  decl: UplinkGroupDecl;
  error: string;
}

/** The first error line, and how many more there are. */
function summarize(errors: readonly string[]): string {
  const first = errors[0] ?? 'its configuration cannot be used';
  return errors.length > 1 ? `${first} (and ${errors.length - 1} more)` : first;
}

function describeFollow(decl: UplinkGroupDecl): string | null {
  return decl.follow === null ? null : `${decl.follow.kind} ${decl.follow.name}`;
}

export class UplinkGroups {
  private readonly running = new Map<string, RunningGroup>();
  private readonly broken = new Map<string, BrokenGroup>();
  private lifecycle: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: UplinkGroupsOptions) {}

  /** Starts a manager per group. Resolves once every group has started or failed (logged). */
  start(groups: readonly LoadedUplinkGroup[], failed: readonly FailedUplinkGroup[] = []): Promise<void> {
    return this.serialized(async () => {
      for (const group of failed) this.markBroken(group.decl, summarize(group.errors), group.errors);
      for (const group of groups) await this.startGroup(group);
      this.followVrrp();
    });
  }

  /**
   * Re-reads the VRRP states and hands each group whose role changed its new role. Cheap, and
   * safe to call at any time (during start or reload too): groups not running yet catch up
   * when they start.
   */
  followVrrp(): void {
    if (this.stopped) return;
    const view = this.options.vrrpView();
    for (const group of this.running.values()) {
      const role = uplinkRoleForFollow(group.decl.follow, view);
      if (role === group.role) continue;
      group.role = role;
      // The manager queues events in arrival order and logs its own failures.
      void group.manager.setRole(role);
    }
  }

  /**
   * Applies a reloaded configuration: groups that stay (same name) keep their gateways' health
   * and take the new yml and leave-master policy; new groups start; removed groups stop.
   */
  reload(groups: readonly LoadedUplinkGroup[], failed: readonly FailedUplinkGroup[] = []): Promise<void> {
    return this.serialized(async () => {
      const next = new Map(groups.map((group) => [group.decl.name, group]));
      const failing = new Map(failed.map((group) => [group.decl.name, group]));
      this.broken.clear();
      for (const [name, group] of [...this.running]) {
        const problem = failing.get(name);
        if (problem) {
          const summary = summarize(problem.errors);
          group.error = `netgwm.yml rejected, the previous one keeps running: ${summary}`;
          say(this.options.logger, LOG.uplinkGroupRejected, {
            uplinkGroup: name,
            event: 'uplink_group_error',
            errors: problem.errors,
            summary,
          });
          continue;
        }
        if (next.has(name)) continue;
        this.running.delete(name);
        await this.stopGroup(group);
        say(this.options.logger, LOG.uplinkGroupRemoved, { uplinkGroup: name });
      }
      for (const group of failed) {
        if (!this.running.has(group.decl.name))
          this.markBroken(group.decl, summarize(group.errors), group.errors);
      }
      for (const group of groups) {
        const current = this.running.get(group.decl.name);
        if (!current) {
          await this.startGroup(group);
          continue;
        }
        current.decl = group.decl;
        current.error = null;
        await current.manager.reload(group.config, group.decl.onLeaveMaster);
      }
      this.followVrrp();
    });
  }

  /** Stops every manager (probe routing removed; default routes left as they are). */
  stop(): Promise<void> {
    this.stopped = true;
    return this.serialized(async () => {
      const groups = [...this.running.values()];
      this.running.clear();
      await Promise.all(groups.map((group) => this.stopGroup(group)));
    });
  }

  /** Every gateway of every group, group by group in configuration order. */
  status(): UplinkStatus[] {
    return [...this.running.values()].flatMap((group) => group.manager.status());
  }

  /** Running groups, then the broken ones (error set, nothing active). */
  groupStatus(): UplinkGroupStatus[] {
    const running = [...this.running.values()].map(({ decl, manager, error }): UplinkGroupStatus => {
      const stats = manager.stats();
      return {
        name: decl.name,
        role: manager.role(),
        follows: describeFollow(decl),
        active: manager.activeGateway(),
        switches: stats.switches,
        routeErrors: stats.routeErrors,
        pinned: manager.pinned(),
        error,
      };
    });
    const view = this.options.vrrpView();
    const broken = [...this.broken.values()].map(({ decl, error }): UplinkGroupStatus => ({
      name: decl.name,
      role: uplinkRoleForFollow(decl.follow, view),
      follows: describeFollow(decl),
      active: null,
      switches: 0,
      routeErrors: 0,
      pinned: null,
      error,
    }));
    return [...running, ...broken];
  }

  /**
   * `vrrpctl uplink pin`: the named group, or the only one. A group that follows VRRP takes the pin
   * now and applies it while it owns the route.
   */
  pin(group: string | undefined, gateway: string | null): Promise<PinOutcome & { group?: string }> {
    const names = [...this.running.keys()];
    const name = group ?? (names.length === 1 ? names[0] : undefined);
    const running = name === undefined ? undefined : this.running.get(name);
    if (!running) {
      const error =
        group === undefined
          ? `name the uplink group (--group): ${names.length === 0 ? 'none is running' : names.join(', ')}`
          : `no uplink group named "${group}" is running${names.length > 0 ? ` (groups: ${names.join(', ')})` : ''}`;
      return Promise.resolve({ ok: false, error });
    }
    return running.manager.pin(gateway).then((outcome) => ({ ...outcome, group: running.decl.name }));
  }

  /** The manager of a group, for tests and the control socket. */
  manager(name: string): UplinkManager | undefined {
    return this.running.get(name)?.manager;
  }

  private serialized(work: () => Promise<void>): Promise<void> {
    const run = this.lifecycle.then(work);
    this.lifecycle = run.catch(() => undefined);
    return run;
  }

  private async startGroup(group: LoadedUplinkGroup): Promise<void> {
    if (this.stopped) return;
    const { decl, config } = group;
    const role = uplinkRoleForFollow(decl.follow, this.options.vrrpView());
    try {
      const manager = await UplinkManager.start(
        { name: decl.name, config, role, onLeaveMaster: decl.onLeaveMaster, logger: this.options.logger },
        this.options.deps,
      );
      this.running.set(decl.name, { decl, manager, role, error: null });
    } catch (error) {
      this.markBroken(decl, `cannot start: ${errorMessage(error)}`, [errorMessage(error)]);
    }
  }

  private markBroken(decl: UplinkGroupDecl, error: string, details: readonly string[]): void {
    this.broken.set(decl.name, { decl, error });
    say(this.options.logger, LOG.uplinkGroupError, {
      uplinkGroup: decl.name,
      event: 'uplink_group_error',
      errors: details,
      error,
    });
  }

  private async stopGroup(group: RunningGroup): Promise<void> {
    try {
      await group.manager.stop();
    } catch (error) {
      say(this.options.logger, LOG.uplinkGroupStopFailed, {
        uplinkGroup: group.decl.name,
        error: errorMessage(error),
      });
    }
  }
}
