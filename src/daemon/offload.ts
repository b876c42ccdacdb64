// The steady state of VRRP handed to the advert socket (issue 15, idle CPU). A MASTER sends the
// same advert every Advertisement_Interval; a BACKUP hears the same advert from its master and
// restarts Master_Down_Timer. Running the core for each of those costs tens of microseconds of
// JavaScript per advert; keepalived spends a few. So once the core has made one of those
// decisions, the daemon asks the socket to carry out its repetitions (kernel/transport.ts,
// AdvertOffload): pace the packets the core just had sent, or take the repeats of the advert the
// core just accepted, moving a deadline.
//
// The core stays the only one that decides. Before it is stepped for an instance, for any reason
// (daemon.ts dispatch), the offload is settled: the socket says how many sends or repeats it
// carried out and when the last one was, and the core is stepped once with that last one, at
// its time — which leaves it where stepping every repetition would have (each repetition does
// the same thing; the last one sets the timer). Only decisions that are repeated identically
// are handed over:
// - pacing: the advert timer of a MASTER fired, the core sent its advert by the timer and
//   re-armed it, and nothing else;
// - watching: a BACKUP accepted an advert without warnings whose acceptance does not depend on
//   time (priority at least ours, or no preemption), restarted Master_Down_Timer with the full
//   interval, and nothing else.
// Not handed over: sync-group members (the group steps them together), AH and IPv6 adverts.
// A watch whose deadline passes (the master went quiet) or a paced send that fails ends on its
// own; the daemon settles it and the core's timer, re-armed from its own state, decides.
// Counters read while an offload runs include what it did so far (flushCounts). One thing the
// repeats no longer do: reset the drop log for their sender (drop-log.ts), so a peer that mixes
// bad packets into its good adverts has each kind of drop logged once per state, not once per
// good advert in between; every drop is still counted.

import type { AdvertOffload, OffloadOutcome } from '../kernel/transport.js';
import { advertIntervalMs, masterDownInterval, type TimerName, type VrrpEvent } from '../vrrp/index.js';
import type { EngineAction } from './engine.js';
import { timerKey, type ActionExecutor } from './executor.js';
import type { InstanceTable } from './instance-table.js';
import type { ReceiveVerdict } from './receiver.js';
import type { KeyedTimers } from '../runtime/timers.js';
import type { TransportSet } from './transports.js';
import type { PacketReceiver } from './receiver.js';

export interface OffloadDeps {
  table: InstanceTable;
  executor: ActionExecutor;
  /** A core timer is due: step it now, as its expiry would (daemon.ts's onTimer). */
  expire(name: string, timer: TimerName, generation: number): void;
  timers: KeyedTimers<string>;
  transports: TransportSet;
  receiver: PacketReceiver;
  now(): number;
}

interface Handed {
  kind: 'pace' | 'watch';
  id: number;
  offload: AdvertOffload;
  /** Sends or repeats already in the counters. */
  credited: number;
  /** watch: the event to replay (the accepted advert). */
  replay?: VrrpEvent;
}

/** The core timer whose expiries a handed-over instance's socket stands in for. */
function timerOf(handed: Handed): TimerName {
  return handed.kind === 'pace' ? 'advert' : 'masterDown';
}

export class AdvertOffloads {
  private readonly handed = new Map<string, Handed>();
  private readonly ids = new Map<string, number>();
  private readonly names = new Map<number, string>();
  private readonly listening = new WeakSet<AdvertOffload>();
  /** Instances whose last pacing ended on a failed send: their next advert goes out from here. */
  private readonly failedPace = new Set<string>();
  private suspended = 0;
  private nextId = 1;

  constructor(private readonly deps: OffloadDeps) {}

  /**
   * Settles every instance and hands nothing over until resume(): a reload or a stop reshapes
   * instances and sockets.
   */
  suspend(): void {
    this.suspended++;
    this.settleAll();
  }

  resume(): void {
    if (this.suspended > 0) this.suspended--;
  }

  settleAll(): void {
    for (const name of [...this.handed.keys()]) this.settle(name);
  }

  /** Takes `name` back from its socket and tells the core what happened meanwhile. */
  settle(name: string): void {
    const handed = this.handed.get(name);
    if (!handed) return;
    this.handed.delete(name);
    const outcome = handed.offload.settle(handed.id);
    this.credit(name, handed, outcome?.count ?? handed.credited);
    this.replay(name, handed, outcome);
  }

  /** Moves what running offloads did so far into the counters (before they are read). */
  flushCounts(): void {
    for (const [name, handed] of this.handed) {
      const count = handed.offload.count(handed.id);
      if (count >= 0) this.credit(name, handed, count);
    }
  }

  /** After the core handled an advert timer expiry: hand the next ones over if it only sent and re-armed. */
  afterTimer(name: string, timer: TimerName, actions: readonly EngineAction[]): void {
    if (timer !== 'advert' || this.suspended > 0 || actions.length !== 2) return;
    if (this.failedPace.delete(name)) return;
    const [send, arm] = actions;
    if (send?.scope !== 'instance' || arm?.scope !== 'instance') return;
    if (send.action.type !== 'sendAdvert' || send.action.reason !== 'timer' || send.action.to !== undefined)
      return;
    if (arm.action.type !== 'armTimer' || arm.action.timer !== 'advert') return;
    const { table, transports } = this.deps;
    const instance = table.value(name);
    const runtime = table.runtime(name);
    const armed = instance?.timers.advert;
    if (!instance || !runtime || !armed || instance.state !== 'MASTER' || instance.config.syncGroup !== null)
      return;
    const offload = transports.offloadOf(runtime);
    const sent =
      offload && transports.sentPackets(runtime, send.action.advert, instance.config.primaryAddress);
    if (!offload || !sent) return;
    const id = this.idOf(name, offload);
    const delayMs = armed.dueAt - this.deps.now();
    if (
      !offload.pace(
        id,
        sent.packets,
        sent.destinations,
        delayMs,
        advertIntervalMs(instance.config.advertIntervalCs),
      )
    )
      return;
    this.deps.timers.cancel(timerKey(name, 'advert'));
    this.handed.set(name, { kind: 'pace', id, offload, credited: 0 });
  }

  /** After the core handled an accepted advert: hand its repeats over if it only restarted Master_Down_Timer. */
  afterAdvert(verdict: ReceiveVerdict, actions: readonly EngineAction[]): void {
    if (verdict.kind !== 'advert' || this.suspended > 0 || actions.length !== 1) return;
    const [arm] = actions;
    if (arm?.scope !== 'instance' || arm.action.type !== 'armTimer' || arm.action.timer !== 'masterDown')
      return;
    const name = verdict.instance;
    const { table, transports, receiver } = this.deps;
    const instance = table.value(name);
    const runtime = table.runtime(name);
    const armed = instance?.timers.masterDown;
    if (!instance || !runtime || !armed || instance.state !== 'BACKUP' || instance.config.syncGroup !== null)
      return;
    const { config, effectivePriority, masterAdverIntervalCs } = instance;
    const { priority } = verdict.advert;
    // Accepted whatever the time: a preemption delay running out would make the next repeat a
    // lower-priority advert to discard.
    if (priority === 0 || (config.preempt && priority < effectivePriority)) return;
    const intervalMs = masterDownInterval(
      config.version,
      effectivePriority,
      masterAdverIntervalCs,
      config.downTimerAdverts,
    );
    if (arm.action.delayMs !== intervalMs) return;
    const offload = transports.offloadOf(runtime);
    const bytes = offload && receiver.repeatBytes(runtime.plan.sendInterface, verdict);
    if (!offload || !bytes) return;
    const id = this.idOf(name, offload);
    if (!offload.watch(id, bytes, armed.dueAt - this.deps.now(), intervalMs)) return;
    this.deps.timers.cancel(timerKey(name, 'masterDown'));
    this.handed.set(name, {
      kind: 'watch',
      id,
      offload,
      credited: 0,
      replay: { type: 'advert', advert: verdict.advert, source: verdict.source },
    });
  }

  /** An instance went away: forget its id. */
  forget(name: string): void {
    this.settle(name);
    const id = this.ids.get(name);
    if (id !== undefined) this.names.delete(id);
    this.ids.delete(name);
    this.failedPace.delete(name);
  }

  private idOf(name: string, offload: AdvertOffload): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(name, id);
      this.names.set(id, name);
    }
    if (!this.listening.has(offload)) {
      this.listening.add(offload);
      offload.onEnded((ended) => this.ended(ended));
    }
    return id;
  }

  /** The socket ended an entry on its own: a watch's deadline, or a failed paced send. */
  private ended(id: number): void {
    const name = this.names.get(id);
    const handed = name === undefined ? undefined : this.handed.get(name);
    if (!name || handed?.id !== id) return;
    if (handed.kind === 'pace') this.failedPace.add(name);
    this.settle(name);
    // A watch's deadline is Master_Down_Timer's: the core's timer, told of the last repeat, is
    // due now. Expire it here rather than through a 0 ms timer, a loop turn (a millisecond) late.
    const timer = timerOf(handed);
    const armed = this.deps.table.value(name)?.timers[timer];
    if (!armed || armed.dueAt > this.deps.now()) return;
    this.deps.timers.cancel(timerKey(name, timer));
    this.deps.expire(name, timer, armed.generation);
  }

  private credit(name: string, handed: Handed, count: number): void {
    const counters = this.deps.table.runtime(name)?.counters;
    const delta = count - handed.credited;
    if (!counters || delta <= 0) return;
    handed.credited = count;
    if (handed.kind === 'pace') counters.advertsTx += delta;
    else counters.advertsRx += delta;
  }

  /**
   * The core learns what the socket did: the last repetition, stepped at its own time (its timer
   * then stands where every repetition would have left it). Without any, the core's own timer is
   * armed again as it stands.
   */
  private replay(name: string, handed: Handed, outcome: OffloadOutcome | null): void {
    const { table, executor } = this.deps;
    const timer = timerOf(handed);
    const armed = table.value(name)?.timers[timer];
    if (!armed) return;
    const now = this.deps.now();
    if (!outcome || outcome.count === 0) {
      const delayMs = Math.max(0, armed.dueAt - now);
      executor.execute({
        scope: 'instance',
        instance: name,
        action: { type: 'armTimer', timer, delayMs, generation: armed.generation },
      });
      return;
    }
    const at = Math.min(outcome.lastAt, now);
    const event: VrrpEvent =
      handed.kind === 'pace' ? { type: 'timer', timer, generation: armed.generation } : handed.replay!;
    for (const item of table.step(name, event, at)) {
      if (item.scope === 'instance') {
        const { action } = item;
        // Those adverts are on the wire already.
        if (action.type === 'sendAdvert' && action.reason === 'timer') continue;
        if (action.type === 'armTimer') {
          const delayMs = Math.max(0, at + action.delayMs - now);
          executor.execute({ ...item, action: { ...action, delayMs } });
          continue;
        }
      }
      executor.execute(item);
    }
  }
}
