// A deterministic two-router lab for the daemon layer: each TestRouter is a real Daemon wired to
// in-memory kernel adapters (FakeKernelNetlink with eth0 and its address, FakeKernelEvents, a GARP
// recorder) and to one shared FakeSegment. Time is vitest's fake clock: the caller must have called
// vi.useFakeTimers(); `Lab.advance` moves the clock in small steps and flushes the segment after
// each one, so packets travel with at most one step of delay and everything is reproducible.

import { expect, vi } from 'vitest';
import { parseConfigText } from '../../src/config/parse-config.js';
import type { VrrpdConfig } from '../../src/config/model/types.js';
import { Daemon } from '../../src/daemon/daemon.js';
import type { ProcessTrackingOptions } from '../../src/daemon/scripts.js';
import { createLogger, type Logger } from '../../src/runtime/log.js';
import { planDaemon } from '../../src/daemon/plan.js';
import type { GarpSender } from '../../src/kernel/garp.js';
import type { LinkInfo } from '../../src/kernel/links.js';
import type { Sysctls } from '../../src/kernel/sysctl.js';
import { FakeKernelEvents, FakeKernelNetlink } from '../../src/kernel/netlink-fake.js';
import { FakeSegment, type FakeTransport, type FakeTransport6 } from '../../src/kernel/transport-fake.js';
import type { AdvertTransportOptions } from '../../src/kernel/transport.js';
import type { AdvertTransport6Options } from '../../src/kernel/transport6.js';
import { encodeIpv4Header, TOS_INTERNETWORK_CONTROL } from '../../src/packet/ipv4.js';
import { AuthType, type VrrpAdvert } from '../../src/packet/types.js';
import { encodeAdvert, simpleAuthData, VRRP_PROTOCOL } from '../../src/packet/vrrp.js';
import type { VrrpState } from '../../src/vrrp/index.js';

export const ETH0_INDEX = 2;
export const VIP = '192.0.2.254';

/** One parsed pino line. */
export type LogLine = Record<string, unknown> & { level: number; msg: string };

export interface GarpRecord {
  ifname: string;
  vip: string;
  at: number;
  /** Whether the fake kernel held the VIP on eth0 when the GARP went out. */
  vipPresent: boolean;
}

export interface TransitionRecord {
  instance: string;
  from: string;
  to: string;
  at: number;
}

export interface InstanceText {
  name?: string;
  vrid?: number;
  priority?: number;
  state?: 'MASTER' | 'BACKUP';
  vips?: readonly string[];
  /** Extra lines inside the vrrp_instance block. */
  extra?: string;
}

/** A vrrp_instance block in keepalived syntax (multicast on eth0, 1 s adverts). */
export function instanceBlock(options: InstanceText = {}): string {
  const vips = options.vips ?? [`${VIP}/24`];
  return `
vrrp_instance ${options.name ?? 'VI_1'} {
  state ${options.state ?? 'BACKUP'}
  interface eth0
  virtual_router_id ${options.vrid ?? 51}
  priority ${options.priority ?? 100}
  advert_int 1
  virtual_ipaddress {
${vips.map((v) => `    ${v}`).join('\n')}
  }
${options.extra ?? ''}
}
`;
}

export function parseOk(text: string): VrrpdConfig {
  const result = parseConfigText(text);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => d.message)).toEqual([]);
  return result.config;
}

export function ethLink(up: boolean, name = 'eth0', ifindex = ETH0_INDEX): LinkInfo {
  return {
    ifindex,
    name,
    mac: `02:00:00:00:00:${ifindex.toString(16).padStart(2, '0')}`,
    adminUp: up,
    running: up,
    lowerUp: up,
    operState: up ? 'up' : 'down',
  };
}

/**
 * /proc/sys as a map of keys ("net/ipv4/conf/eth0/arp_ignore") to values: an interface's keys
 * exist once `addInterface` (or the VMAC hook) made them, as the kernel makes them per device.
 */
export class MemorySysctls implements Sysctls {
  readonly values = new Map<string, number>();
  readonly writes: string[] = [];

  constructor(interfaces: readonly string[] = ['eth0'], allRpFilter = 1) {
    for (const name of ['all', 'default', ...interfaces]) this.addInterface(name);
    this.values.set('net/ipv4/conf/all/rp_filter', allRpFilter);
  }

  addInterface(name: string): void {
    for (const key of [
      'arp_ignore',
      'arp_filter',
      'arp_announce',
      'accept_local',
      'rp_filter',
      'promote_secondaries',
    ])
      this.values.set(`net/ipv4/conf/${name}/${key}`, 0);
    this.values.set(`net/ipv6/conf/${name}/disable_ipv6`, 0);
  }

  removeInterface(name: string): void {
    for (const key of [...this.values.keys()]) if (key.includes(`/conf/${name}/`)) this.values.delete(key);
  }

  async read(key: string): Promise<number | null> {
    return this.values.get(key) ?? null;
  }

  async write(key: string, value: number): Promise<void> {
    if (!this.values.has(key)) throw Object.assign(new Error(`ENOENT ${key}`), { code: 'ENOENT' });
    this.values.set(key, value);
    this.writes.push(`${key}=${value}`);
  }

  async ipv4Interfaces(): Promise<string[]> {
    const names = new Set<string>();
    for (const key of this.values.keys()) {
      const match = /^net\/ipv4\/conf\/([^/]+)\//.exec(key);
      if (match && match[1] !== 'all' && match[1] !== 'default') names.add(match[1]!);
    }
    return [...names].sort();
  }

  /** Every key as "key=value", for comparing before and after. */
  snapshot(): string[] {
    return [...this.values].map(([k, v]) => `${k}=${v}`).sort();
  }
}

export interface RouterOptions {
  stateDir?: string;
  /** vrrp_track_process: a fake /proc (scan/read) and the mode, instead of the real connector. */
  processTracking?: ProcessTrackingOptions;
  linkLocal?: string;
  linkLocalTentative?: boolean;
}

export class TestRouter {
  readonly netlink = new FakeKernelNetlink();
  readonly events = new FakeKernelEvents();
  readonly garps: GarpRecord[] = [];
  readonly logLines: LogLine[] = [];
  readonly transitions: TransitionRecord[] = [];
  /** Every time an instance let its addresses go (DaemonHooks.onVipsRemoved). */
  readonly vipsRemoved: Array<{ instance: string; at: number }> = [];
  readonly transports: FakeTransport[] = [];
  readonly transports6: FakeTransport6[] = [];
  readonly transport6Options: AdvertTransport6Options[] = [];
  /** Unsolicited Neighbor Advertisements, recorded like the GARPs. */
  readonly neighborAdverts: GarpRecord[] = [];
  readonly transportOptions: AdvertTransportOptions[] = [];
  /** The fake /proc/sys (VMAC tests): never the real one. */
  readonly sysctls = new MemorySysctls();
  readonly logger: Logger;
  readonly daemon: Daemon;

  constructor(
    readonly segment: FakeSegment,
    readonly address: string,
    options: RouterOptions = {},
  ) {
    this.netlink.linkList = [ethLink(true)];
    // A VMAC the fake kernel creates gets its sysctl directories, as a real device does.
    const { create, remove } = this.netlink.vmacs;
    this.netlink.vmacs.create = async (spec) => {
      const created = await create(spec);
      this.sysctls.addInterface(spec.name);
      return created;
    };
    this.netlink.vmacs.remove = async (name) => {
      const outcome = await remove(name);
      this.sysctls.removeInterface(name);
      return outcome;
    };
    // The same for an ipvlan.
    const ipvlans = { create: this.netlink.ipvlans.create, remove: this.netlink.ipvlans.remove };
    this.netlink.ipvlans.create = async (spec) => {
      const created = await ipvlans.create(spec);
      this.sysctls.addInterface(spec.name);
      return created;
    };
    this.netlink.ipvlans.remove = async (name) => {
      const outcome = await ipvlans.remove(name);
      this.sysctls.removeInterface(name);
      return outcome;
    };
    this.netlink.addressTable.set(`${ETH0_INDEX}/${address}/24`, {
      ifindex: ETH0_INDEX,
      address,
      prefixLength: 24,
      scope: 0,
      secondary: false,
    });
    if (options.linkLocal) {
      this.netlink.addressTable.set(`${ETH0_INDEX}/${options.linkLocal}/64`, {
        ifindex: ETH0_INDEX,
        address: options.linkLocal,
        prefixLength: 64,
        scope: 253,
        secondary: false,
        tentative: options.linkLocalTentative === true,
      });
    }
    this.logger = createLogger({
      level: 'debug',
      pretty: false,
      destination: { write: (line: string) => void this.logLines.push(JSON.parse(line) as LogLine) },
    });
    const garp: GarpSender = {
      sendGratuitousArp: (ifname, vip) => {
        this.garps.push({ ifname, vip, at: Date.now(), vipPresent: this.hasAddress(vip) });
        return { ok: true, bytes: 42 };
      },
    };
    this.daemon = new Daemon(
      {
        logger: this.logger,
        netlink: this.netlink,
        events: this.events,
        openTransport: (options) => {
          const transport = segment.attach({
            sourceAddress: options.sourceAddress,
            joinMulticast: options.joinMulticast,
            ifindex: options.ifindex,
            ...(options.multicastGroups ? { multicastGroups: options.multicastGroups } : {}),
            ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
          });
          this.transports.push(transport);
          this.transportOptions.push(options);
          return transport;
        },
        openTransport6: (options) => {
          const transport = segment.attach6({
            sourceAddress: options.sourceAddress,
            joinMulticast: options.joinMulticast,
            ifindex: options.ifindex,
          });
          this.transports6.push(transport);
          this.transport6Options.push(options);
          return transport;
        },
        neighborAdverts: {
          sendNeighborAdvert: (ifname, vip) => {
            this.neighborAdverts.push({ ifname, vip, at: Date.now(), vipPresent: this.hasAddress(vip) });
            return { ok: true, bytes: 86 };
          },
        },
        garp,
        sysctls: this.sysctls,
        now: () => Date.now(),
        wallNow: () => Date.now(),
        ...(options.stateDir ? { stateDir: options.stateDir } : {}),
        ...(options.processTracking ? { processTracking: options.processTracking } : {}),
      },
      {
        onTransition: (instance, from, to) => this.transitions.push({ instance, from, to, at: Date.now() }),
        onVipsRemoved: (instance) => this.vipsRemoved.push({ instance, at: Date.now() }),
      },
    );
  }

  async start(configText: string): Promise<void> {
    await this.daemon.start(planDaemon(parseOk(configText)));
  }

  async reload(configText: string): Promise<void> {
    await this.daemon.reload(planDaemon(parseOk(configText)));
  }

  state(instance = 'VI_1'): VrrpState | undefined {
    return this.daemon.instances().find((i) => i.instance.config.name === instance)?.instance.state;
  }

  counters(instance = 'VI_1') {
    return this.daemon.instances().find((i) => i.instance.config.name === instance)?.runtime.counters;
  }

  hasAddress(address: string, ifindex = ETH0_INDEX): boolean {
    return [...this.netlink.addressTable.values()].some(
      (a) => a.address === address && a.ifindex === ifindex,
    );
  }

  /** The kernel operations on one address, in order ('addAddress' / 'removeAddress'). */
  addressOps(address: string): string[] {
    return this.netlink.operations
      .filter((o) => (o.op === 'addAddress' || o.op === 'removeAddress') && o.spec.address === address)
      .map((o) => o.op);
  }

  /** Hands a raw IPv4 packet to the daemon as its socket would (the segment is bypassed). */
  inject(raw: Buffer, source: string): void {
    const transport = this.transports[0];
    if (!transport) throw new Error('no transport open');
    for (const callback of transport.packetCallbacks) callback(raw, { source, ifindex: ETH0_INDEX });
  }

  /** Another interface the fake kernel knows (call before start for it to be listed). */
  addLink(name: string, ifindex: number, up = true): void {
    this.netlink.linkList.push(ethLink(up, name, ifindex));
  }

  /** The kernel reports a link going down or up (RTM_NEWLINK). */
  linkEvent(up: boolean, name = 'eth0'): void {
    const current = this.netlink.linkList.find((l) => l.name === name);
    if (!current) throw new Error(`no link ${name}`);
    const link = ethLink(up, name, current.ifindex);
    this.netlink.linkList = this.netlink.linkList.map((l) => (l.name === name ? link : l));
    this.events.emit({ kind: 'link', link, removed: false });
  }

  /** Someone runs `ip addr del VIP dev eth0` behind the daemon's back. */
  deleteAddressExternally(address: string, prefixLength = 24): void {
    this.netlink.addressTable.delete(`${ETH0_INDEX}/${address}/${prefixLength}`);
    this.emitAddressRemoved(address, prefixLength);
  }

  emitAddressRemoved(address: string, prefixLength = 24): void {
    this.events.emit({
      kind: 'address',
      removed: true,
      address: { ifindex: ETH0_INDEX, address, prefixLength, scope: 0, secondary: false },
    });
  }

  logsWith(field: string, value: unknown): LogLine[] {
    return this.logLines.filter((line) => line[field] === value);
  }
}

export interface AdvertRecord {
  from: string;
  vrid: number;
  priority: number;
  /** Fake-clock time at which the segment delivered it (at most one step after it was sent). */
  at: number;
}

export class Lab {
  readonly segment = new FakeSegment();
  /** Every advert that crossed the segment, in order. */
  readonly adverts: AdvertRecord[] = [];
  private observed = 0;

  router(address: string, options: RouterOptions = {}): TestRouter {
    return new TestRouter(this.segment, address, options);
  }

  advertsFrom(address: string): AdvertRecord[] {
    return this.adverts.filter((a) => a.from === address);
  }

  /** Delivers what is queued on the segment and records the adverts. */
  flush(): void {
    this.segment.flush();
    for (; this.observed < this.segment.sent.length; this.observed++) {
      const packet = this.segment.sent[this.observed]!;
      // The VRRP message of either family: byte 1 is the VRID, byte 2 the priority (RFC 3768 §5.1).
      this.adverts.push({
        from: packet.from,
        vrid: packet.message[1]!,
        priority: packet.message[2]!,
        at: Date.now(),
      });
    }
  }

  /** Moves the fake clock by `ms` in steps of `stepMs`, delivering packets after every step. */
  async advance(ms: number, stepMs = 10): Promise<void> {
    this.flush();
    for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
      await vi.advanceTimersByTimeAsync(Math.min(stepMs, ms - elapsed));
      this.flush();
    }
    await vi.advanceTimersByTimeAsync(0);
    this.flush();
  }
}

// ---------------------------------------------------------------------------------------------
// Crafted packets for the receive path

export interface CraftOptions {
  source: string;
  destination?: string;
  ttl?: number;
}

/** A v2 advert, PASS "secret1", VRID 51, priority 120, carrying the lab VIP. */
export function advertFor(overrides: Partial<VrrpAdvert> = {}): VrrpAdvert {
  return {
    version: 2,
    type: 1,
    vrid: 51,
    priority: 120,
    advertIntervalCs: 100,
    addresses: [VIP],
    authType: AuthType.simple,
    authData: simpleAuthData('secret1'),
    ...overrides,
  };
}

/** IPv4 header + advert, as a keepalived peer would put it on the wire (TTL 255 unless told). */
export function craftPacket(advert: VrrpAdvert, options: CraftOptions): Buffer {
  const destination = options.destination ?? '224.0.0.18';
  const payload = encodeAdvert(advert, { source: options.source, destination });
  const header = encodeIpv4Header({
    source: options.source,
    destination,
    ttl: options.ttl ?? 255,
    tos: TOS_INTERNETWORK_CONTROL,
    protocol: VRRP_PROTOCOL,
    payloadLength: payload.length,
    identification: 1,
  });
  return Buffer.concat([header, payload]);
}
