// Two routers of one pairing running on a lab segment: start, stop gracefully, crash and restart
// either router, and ask who is master, who holds the VIP, and whether either daemon found
// anything wrong with the other's adverts. Shared by the interop tests and the benchmarks.

import { DaemonSet, holdsAddress, waitFor, type RunningDaemon } from '../lab/daemons.js';
import { createRouterSegment, type RouterSegment } from '../lab/topology.js';
import { keepalivedComplaints, type Complaint } from './keepalived-complaints.js';
import { routerConfig, type Pairing } from './pairing.js';
import { crashDaemon, routerState, waitForRouterState, type RouterState } from './router-view.js';

export type RouterRole = 'r1' | 'r2';
export const ROUTER_ROLES: readonly RouterRole[] = ['r1', 'r2'];

export interface RouterPairOptions {
  pairing: Pairing;
  priorities: Record<RouterRole, number>;
  /** Another keepalived.conf than the pairing's routerConfig (the bench's VRRPv3 10 ms pair). */
  config?(role: RouterRole, priority: number): string;
}

export class RouterPair {
  readonly daemons: DaemonSet;
  /** Every daemon started, in order, including stopped ones (their logs still count). */
  readonly history: RunningDaemon[] = [];
  private readonly current = new Map<RouterRole, RunningDaemon>();

  private constructor(
    readonly segment: RouterSegment,
    readonly options: RouterPairOptions,
  ) {
    this.daemons = new DaemonSet(segment.lab);
  }

  /** Builds a fresh segment for the pair (nothing started yet). */
  static async create(options: RouterPairOptions): Promise<RouterPair> {
    return new RouterPair(await createRouterSegment({ ipv6: options.pairing.family === 'ipv6' }), options);
  }

  get lab() {
    return this.segment.lab;
  }

  get vip(): string {
    return this.segment.vip;
  }

  /** The running daemon of a role; throws when it is stopped. */
  daemon(role: RouterRole): RunningDaemon {
    const daemon = this.current.get(role);
    if (!daemon || daemon.exited()) throw new Error(`${role} has no running daemon`);
    return daemon;
  }

  configOf(role: RouterRole): string {
    const priority = this.options.priorities[role];
    return this.options.config?.(role, priority) ?? routerConfig(this.options.pairing, role, priority);
  }

  /** Starts the role's daemon and waits (bounded) until it reports a state. */
  async start(role: RouterRole, timeoutMs = 5000): Promise<RunningDaemon> {
    const daemon = this.daemons.start(this.options.pairing[role], role, this.configOf(role));
    this.current.set(role, daemon);
    this.history.push(daemon);
    const up = await waitFor(async () => (await routerState(daemon)) !== null, timeoutMs, 10);
    if (!up) throw new Error(`${daemon.kind} in ${role} reported no state:\n${daemon.logs.join('\n')}`);
    return daemon;
  }

  /** SIGTERM: the daemon sends priority 0 if MASTER and releases its VIP. Returns its exit status. */
  async stop(role: RouterRole): Promise<number | string | null> {
    return this.daemons.stop(this.daemon(role), 'SIGTERM');
  }

  /** A crash: nothing runs on the way out (see crashDaemon). */
  async crash(role: RouterRole): Promise<void> {
    await crashDaemon(this.daemons, this.daemon(role));
  }

  async state(role: RouterRole): Promise<RouterState | null> {
    const daemon = this.current.get(role);
    return daemon ? routerState(daemon) : null;
  }

  /** Roles whose running daemon says MASTER right now. */
  async masters(): Promise<RouterRole[]> {
    const states = await Promise.all(ROUTER_ROLES.map((role) => this.state(role)));
    return ROUTER_ROLES.filter((_, i) => states[i] === 'MASTER');
  }

  /** Waits (bounded) until `master` is the only MASTER and the other role (if running) is BACKUP. */
  async waitForSoleMaster(master: RouterRole, timeoutMs: number): Promise<number | null> {
    const other: RouterRole = master === 'r1' ? 'r2' : 'r1';
    const started = Date.now();
    const ok = await waitFor(
      async () => {
        if ((await this.state(master)) !== 'MASTER') return false;
        const otherState = await this.state(other);
        return otherState === null || otherState === 'BACKUP';
      },
      timeoutMs,
      10,
    );
    return ok ? Date.now() - started : null;
  }

  waitForState(role: RouterRole, state: RouterState, timeoutMs: number): Promise<number | null> {
    return waitForRouterState(this.daemon(role), state, timeoutMs);
  }

  /** Roles whose namespace holds the VIP on eth0 right now. */
  async vipHolders(): Promise<RouterRole[]> {
    const held = await Promise.all(
      ROUTER_ROLES.map((role) => holdsAddress(this.lab, role, this.segment.ifname, this.vip)),
    );
    return ROUTER_ROLES.filter((_, i) => held[i]);
  }

  /** Does the client's neighbour entry for the VIP point at `role`'s MAC (waits, bounded)? */
  async clientFollows(role: RouterRole, timeoutMs = 2000): Promise<boolean> {
    const mac = await this.lab.macOf(role, this.segment.ifname);
    return waitFor(
      async () => (await this.lab.neighbourMac(this.segment.client, this.vip)) === mac,
      timeoutMs,
    );
  }

  /** Complaints about received packets in the logs of every keepalived this pair ran. */
  keepalivedComplaints(): Complaint[] {
    return this.history.filter((d) => d.kind === 'keepalived').flatMap((d) => keepalivedComplaints(d.logs));
  }

  /** vrrpd's log records of dropped or frowned-upon adverts, for every vrrpd this pair ran. */
  vrrpdDropRecords(): Array<Record<string, unknown>> {
    return this.history
      .filter((d) => d.kind === 'vrrpd')
      .flatMap((d) => d.records())
      .filter((r) => r.event === 'drop' || r.event === 'advert_warning');
  }

  /** Stops every daemon and removes the segment. Safe to call more than once. */
  async teardown(): Promise<void> {
    try {
      await this.daemons.cleanup();
    } finally {
      await this.lab.teardown();
    }
  }
}
