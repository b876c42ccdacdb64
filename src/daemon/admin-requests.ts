// The requests `vrrpctl handover|resume|demote|garp` make, checked against the running instances
// before they reach the core: which instances a request names (a sync group moves as a whole),
// whether `--to` names a unicast peer, whether a demotion stays within 1..254, and, for
// `handover --wait`, waiting until the targets let go. The holds and overrides themselves live in
// admin.ts; the decisions are the core's.

import type { ActionExecutor } from './executor.js';
import type { InstanceAdmin } from './admin.js';
import type { InstanceTable } from './instance-table.js';
import type { StateWaiters } from './state-waiters.js';

/** What `vrrpctl handover|resume|demote` ask for, already parsed. */
export interface AdminRequest {
  /** Instance names; empty with `all` for every instance. */
  instances: readonly string[];
  all?: boolean;
  by: string;
  reason: string;
}

export type AdminOutcome = { ok: true; instances: string[] } | { ok: false; error: string };

export interface AdminRequestDeps {
  table: InstanceTable;
  admin: InstanceAdmin;
  waiters: StateWaiters;
  executor: Pick<ActionExecutor, 'garpBurst'>;
  /** How long the releases still running may take (see Daemon.releaseWaitMs). */
  releaseWaitMs(): number;
}

type Targets = { ok: true; names: string[] } | { ok: false; error: string };

/** `handover --wait` waits at least this long, even when no release is running yet. */
const MIN_HANDOVER_WAIT_MS = 1000;

export class AdminRequests {
  constructor(private readonly deps: AdminRequestDeps) {}

  /** `vrrpctl handover`: make-before-break resignation, then maintenance until resumed. */
  async handover(
    request: AdminRequest & { to?: string; forMs?: number; wait?: boolean },
  ): Promise<AdminOutcome> {
    const { table } = this.deps;
    const targets = this.resolveTargets(request);
    if (!targets.ok) return targets;
    if (request.to !== undefined) {
      const to = request.to;
      const notPeer = targets.names.filter((name) => !table.runtime(name)?.plan.unicastPeers?.includes(to));
      if (notPeer.length > 0) {
        return {
          ok: false,
          error: `--to ${to}: not a unicast_peer of ${notPeer.join(', ')} (a multicast instance cannot choose who takes over)`,
        };
      }
    }
    this.deps.admin.handover(targets.names, request, {
      ...(request.to !== undefined ? { to: request.to } : {}),
      ...(request.forMs !== undefined ? { forMs: request.forMs } : {}),
    });
    if (!request.wait) return { ok: true, instances: targets.names };
    const done = () =>
      targets.names.every((name) => {
        const instance = table.value(name);
        return !instance || (instance.state !== 'MASTER' && !instance.releasing);
      });
    const waitMs = Math.max(this.deps.releaseWaitMs(), MIN_HANDOVER_WAIT_MS);
    if (!(await this.deps.waiters.until(done, waitMs))) {
      return { ok: false, error: `handover of ${targets.names.join(', ')} not finished after ${waitMs} ms` };
    }
    return { ok: true, instances: targets.names };
  }

  /** `vrrpctl resume`: maintenance and runtime priority end. */
  resume(request: AdminRequest): AdminOutcome {
    const targets = this.resolveTargets(request);
    if (!targets.ok) return targets;
    this.deps.admin.resume(targets.names, request);
    return { ok: true, instances: targets.names };
  }

  /** `vrrpctl demote INSTANCE --priority N | --by N`. */
  demote(request: AdminRequest & { priority?: number; delta?: number }): AdminOutcome {
    const [name] = request.instances;
    if (request.instances.length !== 1 || !name)
      return { ok: false, error: 'demote takes exactly one instance' };
    const value = this.deps.table.value(name);
    if (!value) return { ok: false, error: `no instance named ${name}` };
    const target =
      request.priority ?? (request.delta !== undefined ? value.config.priority - request.delta : undefined);
    if (target === undefined || !Number.isInteger(target) || target < 1 || target > 254) {
      return { ok: false, error: `priority must end up within 1..254 (got ${String(target)})` };
    }
    this.deps.admin.demote(name, target, request);
    return { ok: true, instances: [name] };
  }

  /** `vrrpctl garp INSTANCE`: one burst now, if the instance is MASTER. */
  resendGarp(name: string): { ok: boolean; error?: string } {
    const runtime = this.deps.table.runtime(name);
    const instance = this.deps.table.value(name);
    if (!runtime || !instance) return { ok: false, error: `no instance ${name}` };
    if (instance.state !== 'MASTER') return { ok: false, error: `${name} is ${instance.state}, not MASTER` };
    const { garp } = instance.config;
    this.deps.executor.garpBurst(
      runtime,
      runtime.held.map((v) => v.address),
      garp.masterRepeat,
      garp.intervalMs,
    );
    return { ok: true };
  }

  /**
   * The instances a request names, with their sync-group partners (a group hands over as a
   * whole), or why the request cannot be served.
   */
  private resolveTargets(request: AdminRequest): Targets {
    const { table } = this.deps;
    const known = table.names();
    if (request.all) return { ok: true, names: known };
    if (request.instances.length === 0) return { ok: false, error: 'name an instance or use --all' };
    const unknown = request.instances.filter((name) => !table.has(name));
    if (unknown.length > 0) {
      return {
        ok: false,
        error: `no instance named ${unknown.join(', ')} (instances: ${known.join(', ') || 'none'})`,
      };
    }
    const names = new Set<string>();
    for (const name of request.instances) {
      const group = table.runtime(name)?.plan.syncGroup;
      const members = group ? table.runtimeList().filter((r) => r.plan.syncGroup === group) : [];
      for (const member of members.length > 0 ? members.map((r) => r.plan.name) : [name]) names.add(member);
    }
    return { ok: true, names: [...names] };
  }
}
