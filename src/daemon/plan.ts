// From the configuration model to what the daemon runs: one InstancePlan per vrrp_instance with
// the pure core's InstanceConfigInput, the validation ladder's expectations, and the kernel-facing
// details (interface, VIP specs, peers). Pure, so reload diffing and tests need no kernel.

import type {
  InstanceModel,
  OldUnicastChecksum,
  RouteSpec,
  RuleSpec,
  SyncGroupModel,
  TrackedInterface,
  VipSpec,
  VrrpdConfig,
} from '../config/model/types.js';
import type { InstanceExpectations } from '../packet/validate.js';
import { canonicalAddress } from '../packet/ip-address.js';
import { AuthType, type AddressFamily } from '../packet/types.js';
import type { TtlWindow } from '../packet/ttl-window.js';
import type { InstanceConfigInput, SyncGroupConfig } from '../vrrp/index.js';

/** One tracked thing as the state machine sees it: a name, a weight and which way is "up". */
export interface TrackerBinding {
  /** Unique per instance: `interface:eth0`, `script:chk_nginx`, `file:maint`. */
  readonly key: string;
  readonly kind: 'interface' | 'script' | 'file' | 'process' | 'bfd';
  /** The interface, vrrp_script, track_file, vrrp_track_process or bfd_instance name. */
  readonly name: string;
  readonly weight: number;
  /** keepalived `reverse`: the tracked thing counts as up while it is failing. */
  readonly reverse: boolean;
}

export interface InstancePlan {
  readonly model: InstanceModel;
  readonly name: string;
  /** The configured interface: link state (FAULT), source address, receiving. */
  readonly interfaceName: string;
  /**
   * The interface of the instance's advert socket (sent and received there): interfaceName, or
   * the instance's VMAC (use_vmac without vmac_xmit_base, set by vmac-plan.ts once it exists).
   */
  readonly sendInterface: string;
  /**
   * The interface whose address is the adverts' source when none is configured, and where
   * track_src_ip looks for a configured one: interfaceName, or the instance's ipvlan (use_ipvlan,
   * set by ipvlan-plan.ts once it exists).
   */
  readonly sourceInterface: string;
  readonly vrid: number;
  /** The family the instance advertises in (that of its first VIP, keepalived's rule). */
  readonly family: AddressFamily;
  /** Unicast peers (IPv6 in canonical text), or null for multicast to the group. */
  readonly unicastPeers: readonly string[] | null;
  /**
   * Configured source (unicast_src_ip / mcast_src_ip), or null: the interface's primary IPv4
   * address, or for IPv6 its link-local address (RFC 5798 §5.1.2.1).
   */
  readonly configuredSource: string | null;
  /** vrrp_mcast_group4 or vrrp_mcast_group6. */
  readonly multicastGroup: string;
  /** TTL / hop limit of our adverts: unicast_ttl for unicast, else 255. */
  readonly ttl: number;
  readonly vips: readonly VipSpec[];
  readonly excludedVips: readonly VipSpec[];
  readonly routes: readonly RouteSpec[];
  readonly rules: readonly RuleSpec[];
  readonly trackers: readonly TrackerBinding[];
  /** track_src_ip: FAULT while configuredSource is not an address of the interface. */
  readonly trackSource: boolean;
  /** Whether the instance's own interface going down puts it in FAULT (not with dont_track_primary). */
  readonly trackPrimary: boolean;
  readonly syncGroup: string | null;
  /** Everything the core needs except the primary address, which only the kernel knows. */
  readonly core: Omit<InstanceConfigInput, 'primaryAddress'>;
  readonly checkUnicastSource: boolean;
  readonly skipCheckAdvertAddresses: boolean;
  /** Per-peer TTL windows (unicast_peer … min_ttl/max_ttl); empty when none. */
  readonly unicastPeerTtl: ReadonlyMap<string, TtlWindow>;
  /**
   * VRRPv3 over IPv4: old_unicast_checksum and the group its old form puts in the pseudo-header
   * (the global vrrp_mcast_group4, as keepalived, even with mcast_dst_ip); null otherwise.
   */
  readonly oldUnicastChecksum: { mode: OldUnicastChecksum; group: string } | null;
}

export interface DaemonPlan {
  readonly config: VrrpdConfig;
  readonly instances: readonly InstancePlan[];
  readonly syncGroups: readonly SyncGroupConfig[];
}

/** The spec with its address as the kernel and the decoders write it (IPv6 canonical text). */
function canonicalVip(vip: VipSpec): VipSpec {
  const address = canonicalAddress(vip.address);
  const peer = vip.peer === undefined ? undefined : canonicalAddress(vip.peer);
  if (address === vip.address && peer === vip.peer) return vip;
  return { ...vip, address, ...(peer === undefined ? {} : { peer }) };
}

function canonicalOrNull(address: string | null): string | null {
  return address === null ? null : canonicalAddress(address);
}

function microsToMillis(us: number): number {
  return Math.ceil(us / 1000);
}

/** The track_* lists an instance and a sync group both hold. */
type TrackLists = Pick<
  InstanceModel,
  'trackInterfaces' | 'trackScripts' | 'trackFiles' | 'trackProcesses' | 'trackBfds'
>;

function trackerBindings(lists: TrackLists, config: VrrpdConfig): TrackerBinding[] {
  // A reference without its own weight takes the tracked object's; `reverse` on either applies.
  const referenceKinds = [
    ['script', lists.trackScripts, config.scripts],
    ['file', lists.trackFiles, config.trackFiles],
    ['process', lists.trackProcesses, config.processTracks],
    ['bfd', lists.trackBfds, config.bfdInstances],
  ] as const;
  const bindings: TrackerBinding[] = lists.trackInterfaces.map((t) => ({
    key: `interface:${t.name}`,
    kind: 'interface' as const,
    name: t.name,
    weight: t.weight,
    reverse: t.reverse,
  }));
  for (const [kind, references, defined] of referenceKinds) {
    for (const ref of references) {
      const definition = (
        defined as ReadonlyArray<{ name: string; weight: number; weightReverse: boolean }>
      ).find((d) => d.name === ref.name);
      bindings.push({
        key: `${kind}:${ref.name}`,
        kind,
        name: ref.name,
        weight: ref.weight ?? definition?.weight ?? 0,
        reverse: ref.reverse ?? definition?.weightReverse ?? false,
      });
    }
  }
  return bindings;
}

/**
 * Group-level trackers apply to every member, with their weights. What keepalived does to weights
 * inside a sync group (an instance's own weighted trackers dropped or made 0 unless
 * sync_group_tracking_weight) is already in the model (src/config/finish/tracking.ts).
 */
function memberTrackers(
  own: TrackerBinding[],
  group: SyncGroupModel | undefined,
  config: VrrpdConfig,
): TrackerBinding[] {
  if (!group) return own;
  const inherited = trackerBindings(group, config);
  return [...own, ...inherited.filter((t) => !own.some((o) => o.key === t.key))];
}

/**
 * keepalived's track_group: an instance in a track group tracks the interface of every static
 * entry naming that group, with weight 0 (FAULT while the interface is down).
 */
function staticTrackedInterfaces(name: string, config: VrrpdConfig): TrackedInterface[] {
  const groups = new Set(config.trackGroups.filter((g) => g.instances.includes(name)).map((g) => g.name));
  if (groups.size === 0) return [];
  const { addresses, routes, rules } = config.statics;
  const interfaces = [
    ...addresses.map((a) => ({ group: a.trackGroup, devs: [a.dev], source: a.source })),
    ...routes.map((r) => ({ group: r.trackGroup, devs: [r.dev], source: r.source })),
    ...rules.map((r) => ({ group: r.trackGroup, devs: [r.iif, r.oif], source: r.source })),
  ];
  const tracked: TrackedInterface[] = [];
  for (const entry of interfaces) {
    if (entry.group === null || !groups.has(entry.group)) continue;
    for (const dev of entry.devs) {
      if (dev !== null && !tracked.some((t) => t.name === dev))
        tracked.push({ name: dev, weight: 0, reverse: false, source: entry.source });
    }
  }
  return tracked;
}

export function planInstance(model: InstanceModel, config: VrrpdConfig): InstancePlan {
  const group = config.syncGroups.find((g) => g.instances.includes(model.name));
  const staticTracked = staticTrackedInterfaces(model.name, config).filter(
    (t) => !model.trackInterfaces.some((own) => own.name === t.name),
  );
  const own = trackerBindings(
    { ...model, trackInterfaces: [...model.trackInterfaces, ...staticTracked] },
    config,
  );
  const checkUnicastSource = model.checkUnicastSrc || config.globals.checkUnicastSrc;
  return {
    model,
    name: model.name,
    interfaceName: model.interface,
    sendInterface: model.interface,
    sourceInterface: model.interface,
    vrid: model.vrid,
    family: model.family,
    unicastPeers: model.unicastPeers?.map(canonicalAddress) ?? null,
    // use_ipvlan's address is the source unless one is configured (keepalived's ipvlan handler).
    configuredSource: canonicalOrNull(
      (model.unicastPeers ? model.unicastSrcIp : (model.mcastSrcIp ?? model.unicastSrcIp)) ??
        model.ipvlan?.address?.address ??
        null,
    ),
    multicastGroup: canonicalAddress(
      model.mcastDstIp ?? (model.family === 'ipv6' ? config.globals.mcastGroup6 : config.globals.mcastGroup4),
    ),
    ttl: model.unicastPeers ? model.unicastTtl : 255,
    vips: model.vips.map(canonicalVip),
    excludedVips: model.excludedVips.map(canonicalVip),
    routes: model.virtualRoutes,
    rules: model.virtualRules,
    trackers: memberTrackers(own, group, config),
    trackPrimary: !model.dontTrackPrimary,
    trackSource: model.trackSrcIp,
    syncGroup: group?.name ?? null,
    checkUnicastSource,
    skipCheckAdvertAddresses: model.skipCheckAdvAddr || config.globals.skipCheckAdvAddr,
    oldUnicastChecksum:
      model.version === 3 && model.family === 'ipv4'
        ? { mode: model.oldUnicastChecksum, group: config.globals.mcastGroup4 }
        : null,
    unicastPeerTtl: new Map(
      model.unicastPeerTtl.map((t) => [canonicalAddress(t.address), { min: t.min, max: t.max }]),
    ),
    core: {
      name: model.name,
      vrid: model.vrid,
      version: model.version,
      priority: model.priority,
      advertIntervalCs: model.advertIntervalCs,
      // IPv6 in canonical text: adverts are decoded and the kernel reports addresses that way.
      vips: model.vips.map((v) => canonicalAddress(v.address)),
      excludedVips: model.excludedVips.map((v) => canonicalAddress(v.address)),
      authType:
        model.authType === 'PASS' ? AuthType.simple : model.authType === 'AH' ? AuthType.ah : AuthType.none,
      authPassword: model.authPass ?? '',
      preempt: model.preempt,
      preemptDelayMs: model.preemptDelayMs,
      startupDelayMs: config.globals.startupDelayMs,
      downTimerAdverts: model.downTimerAdverts,
      initialState: model.state,
      garp: {
        masterRepeat: model.garp.masterRepeat,
        masterDelayMs: model.garp.masterDelayMs,
        masterRefreshMs: model.garp.masterRefreshMs,
        masterRefreshRepeat: model.garp.masterRefreshRepeat,
        intervalMs: microsToMillis(model.garp.intervalUs),
        ...(model.garpLowerPriority
          ? {
              lowerPriorityRepeat: model.garpLowerPriority.repeat,
              lowerPriorityDelayMs: model.garpLowerPriority.delayMs,
            }
          : {}),
      },
      lowerPriorityNoAdvert: model.lowerPriorityNoAdvert,
      higherPrioritySendAdvert: model.higherPrioritySendAdvert,
      syncGroup: group?.name ?? null,
    },
  };
}

export function planDaemon(config: VrrpdConfig): DaemonPlan {
  return {
    config,
    instances: config.instances.map((model) => planInstance(model, config)),
    syncGroups: config.syncGroups.map((g) => ({ name: g.name, members: [...g.instances] })),
  };
}

/** What the validation ladder needs to know about an instance (see src/packet/validate.ts). */
export function expectationsOf(plan: InstancePlan): InstanceExpectations {
  const { core } = plan;
  return {
    instanceKey: plan.name,
    vrid: plan.vrid,
    version: core.version ?? 2,
    priority: core.priority,
    authType: core.authType ?? AuthType.none,
    authPassword: core.authPassword ?? '',
    advertIntervalCs: core.advertIntervalCs ?? 100,
    addresses: core.vips ?? [],
    ...(plan.unicastPeers ? { unicastPeers: plan.unicastPeers } : { multicastGroup: plan.multicastGroup }),
    ...(plan.configuredSource !== null ? { localAddress: plan.configuredSource } : {}),
    checkUnicastSource: plan.checkUnicastSource && plan.unicastPeers !== null,
    skipCheckAdvertAddresses: plan.skipCheckAdvertAddresses,
    ...(plan.unicastPeers && plan.unicastPeerTtl.size > 0 ? { unicastPeerTtl: plan.unicastPeerTtl } : {}),
  };
}

/**
 * Whether a running instance can keep its state across a reload (issue: "instances that still
 * match (VRID, interface, family, unicast setup) keep their state with no transition").
 */
export function sameIdentity(a: InstancePlan, b: InstancePlan): boolean {
  return (
    a.name === b.name &&
    a.vrid === b.vrid &&
    a.interfaceName === b.interfaceName &&
    a.sendInterface === b.sendInterface &&
    JSON.stringify(a.model.vmac) === JSON.stringify(b.model.vmac) &&
    JSON.stringify(a.model.ipvlan) === JSON.stringify(b.model.ipvlan) &&
    a.model.family === b.model.family &&
    a.model.version === b.model.version &&
    JSON.stringify(a.unicastPeers) === JSON.stringify(b.unicastPeers) &&
    a.configuredSource === b.configuredSource
  );
}
