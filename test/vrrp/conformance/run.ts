// Replays one conformance case the way the daemon would run it, on a virtual clock:
//  - `config` goes through the real parser and planner; each instance is created from its plan
//    (the primary address is the configured mcast_src_ip/unicast_src_ip: there is no kernel to ask);
//  - events are stepped through the daemon's Engine, i.e. step() or stepSyncGroup();
//  - adverts are encoded to IPv4 packets and validated by the daemon's ladder (receive-path.ts);
//  - timers behave like the daemon's timer service: armTimer replaces, cancelTimer removes, and an
//    expiry is delivered with its generation when the clock reaches it. At one millisecond, due
//    timers run before the event line; timers due at the same time run in the order armed.
// The transcript is every action out, one line each with its time and instance, plus the lines
// the runner itself adds: `timerFired` (an expiry delivered), `drop` (the ladder refused an
// advert) and `acceptWarning` (accepted, but counted and logged).

import { formatDiagnostic } from '../../../src/config/report/diagnostics.js';
import { parseConfigText } from '../../../src/config/parse-config.js';
import { Engine, type EngineAction } from '../../../src/daemon/engine.js';
import { planDaemon, type DaemonPlan, type InstancePlan } from '../../../src/daemon/plan.js';
import { AuthType, type VrrpAdvert } from '../../../src/packet/types.js';
import { simpleAuthData } from '../../../src/packet/vrrp.js';
import { createInstance, type TimerName, type VrrpAction, type VrrpEvent } from '../../../src/vrrp/index.js';
import { advertPacket, ReceivingInterface } from '../receive-path.js';
import type { AdvertSpec, ConformanceCase, EventLine } from './case-file.js';

export type TranscriptLine = Readonly<Record<string, unknown>>;

/** Guards the replay loop: a case whose timers keep re-arming without bound fails instead of hanging. */
const MAX_TIMER_EXPIRIES = 100_000;

interface PendingTimer {
  readonly instance: string;
  readonly timer: TimerName;
  readonly dueAt: number;
  readonly generation: number;
  /** Arming order, for expiries due at the same millisecond. */
  readonly seq: number;
}

function planConfig(c: ConformanceCase): DaemonPlan {
  const parsed = parseConfigText(c.configText, { file: `${c.name}/config` });
  if (!parsed.ok) {
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error').flatMap(formatDiagnostic);
    throw new Error(`case ${c.name}: config is not valid:\n${errors.join('\n')}`);
  }
  return planDaemon(parsed.config);
}

function primaryAddressOf(c: ConformanceCase, plan: InstancePlan): string {
  if (plan.configuredSource === null) {
    throw new Error(
      `case ${c.name}: instance ${plan.name} needs mcast_src_ip (or unicast_src_ip): ` +
        'the replay has no interface to take its primary address from',
    );
  }
  return plan.configuredSource;
}

function renderAdvert(advert: VrrpAdvert): TranscriptLine {
  return { ...advert, addresses: [...advert.addresses], authData: advert.authData.toString('hex') };
}

function renderAction(action: VrrpAction): TranscriptLine {
  return action.type === 'sendAdvert' ? { ...action, advert: renderAdvert(action.advert) } : { ...action };
}

class Replay {
  readonly transcript: TranscriptLine[] = [];
  private readonly plans: ReadonlyMap<string, InstancePlan>;
  private readonly primary = new Map<string, string>();
  private readonly engine: Engine;
  private readonly receivers = new Map<string, ReceivingInterface>();
  private readonly timers = new Map<string, PendingTimer>();
  private armed = 0;
  private expiries = 0;
  private now = 0;

  constructor(private readonly c: ConformanceCase) {
    const { instances: plans, syncGroups } = planConfig(c);
    this.plans = new Map(plans.map((plan) => [plan.name, plan]));
    for (const plan of plans) this.primary.set(plan.name, primaryAddressOf(c, plan));
    const instances = plans.map((plan) =>
      createInstance({ ...plan.core, primaryAddress: this.primary.get(plan.name)! }),
    );
    this.engine = new Engine(instances, syncGroups);
    for (const ifname of new Set(plans.map((p) => p.interfaceName))) {
      this.receivers.set(ifname, new ReceivingInterface(plans.filter((p) => p.interfaceName === ifname)));
    }
  }

  run(): TranscriptLine[] {
    for (const line of this.c.events) {
      this.runTimersUntil(line.at);
      this.now = line.at;
      this.apply(line);
    }
    return this.transcript;
  }

  private fail(line: EventLine, message: string): never {
    throw new Error(`case ${this.c.name}, events.jsonl:${line.line}: ${message}`);
  }

  /** The instance an event names, or the only one. */
  private target(line: EventLine): InstancePlan {
    if (line.instance !== undefined) {
      return this.plans.get(line.instance) ?? this.fail(line, `no instance ${line.instance}`);
    }
    if (this.plans.size !== 1) this.fail(line, 'several instances: say which one with "instance"');
    return [...this.plans.values()][0]!;
  }

  private apply(line: EventLine): void {
    const { event } = line;
    switch (event.type) {
      case 'startup':
      case 'shutdown': {
        const names = line.instance === undefined ? this.engine.names() : [this.target(line).name];
        for (const name of names) this.dispatch(name, event);
        return;
      }
      case 'handover':
      case 'resume':
      case 'setPriority':
        this.dispatch(this.target(line).name, event);
        return;
      case 'advert':
        this.receive(this.target(line), event);
        return;
      case 'timer': {
        const { name } = this.target(line);
        this.record({ instance: name, type: 'timerFired', timer: event.timer, generation: event.generation });
        this.dispatch(name, { type: 'timer', timer: event.timer, generation: event.generation });
        return;
      }
      case 'fault':
      case 'tracker':
        this.dispatch(this.target(line).name, event);
        return;
      case 'end':
        return;
    }
  }

  /** Another router's advert, as the receiving instance's interface gets it. */
  private receive(plan: InstancePlan, spec: AdvertSpec): void {
    const { core } = plan;
    const version = spec.version ?? core.version ?? 2;
    const authType = spec.authType ?? (version === 2 ? (core.authType ?? AuthType.none) : AuthType.none);
    const advert: VrrpAdvert = {
      version,
      type: 1,
      vrid: spec.vrid ?? plan.vrid,
      priority: spec.priority,
      advertIntervalCs: spec.advertIntervalCs ?? core.advertIntervalCs ?? 100,
      addresses: [...(spec.addresses ?? core.vips ?? [])],
      authType,
      authData:
        version === 2 ? simpleAuthData(spec.authPassword ?? core.authPassword ?? '') : Buffer.alloc(0),
    };
    const ownAddress = this.primary.get(plan.name)!;
    const destination = spec.destination ?? (plan.unicastPeers ? ownAddress : plan.multicastGroup);
    const packet = advertPacket(advert, { source: spec.source, destination, ttl: spec.ttl ?? 255 });
    const verdict = this.receivers.get(plan.interfaceName)!.receive(packet);
    if (!verdict.ok) {
      // Counted on the instance that runs the VRID, if any (as the daemon's receiver does).
      const owner = [...this.plans.values()].find(
        (p) => p.interfaceName === plan.interfaceName && p.vrid === advert.vrid,
      );
      this.record({ ...(owner ? { instance: owner.name } : {}), type: 'drop', reason: verdict.reason });
      return;
    }
    for (const reason of verdict.warnings) {
      this.record({ instance: verdict.instanceKey, type: 'acceptWarning', reason });
    }
    this.dispatch(verdict.instanceKey, { type: 'advert', advert: verdict.advert, source: verdict.ip.source });
  }

  private runTimersUntil(until: number): void {
    for (;;) {
      let next: PendingTimer | undefined;
      for (const timer of this.timers.values()) {
        if (timer.dueAt > until) continue;
        if (!next || timer.dueAt < next.dueAt || (timer.dueAt === next.dueAt && timer.seq < next.seq)) {
          next = timer;
        }
      }
      if (!next) return;
      if (++this.expiries > MAX_TIMER_EXPIRIES) {
        throw new Error(
          `case ${this.c.name}: more than ${MAX_TIMER_EXPIRIES} timer expiries by ${next.dueAt} ms`,
        );
      }
      this.timers.delete(`${next.instance}/${next.timer}`);
      this.now = next.dueAt;
      const { instance, timer, generation } = next;
      this.record({ instance, type: 'timerFired', timer, generation });
      this.dispatch(instance, { type: 'timer', timer, generation });
    }
  }

  private dispatch(name: string, event: VrrpEvent): void {
    for (const action of this.engine.dispatch(name, event, this.now)) this.execute(action);
  }

  private execute(tagged: EngineAction): void {
    if (tagged.scope === 'group') {
      this.record({ group: tagged.group, ...tagged.action });
      return;
    }
    const { instance, action } = tagged;
    this.record({ instance, ...renderAction(action) });
    const key = `${instance}/${action.type === 'armTimer' || action.type === 'cancelTimer' ? action.timer : ''}`;
    if (action.type === 'armTimer') {
      this.timers.set(key, {
        instance,
        timer: action.timer,
        dueAt: this.now + action.delayMs,
        generation: action.generation,
        seq: this.armed++,
      });
    } else if (action.type === 'cancelTimer') {
      this.timers.delete(key);
    }
  }

  private record(line: TranscriptLine): void {
    this.transcript.push({ at: this.now, ...line });
  }
}

export function replay(c: ConformanceCase): TranscriptLine[] {
  return new Replay(c).run();
}

export function formatTranscript(lines: readonly TranscriptLine[]): string {
  return lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
}
