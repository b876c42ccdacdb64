// What the keyword handlers fill in while reading a block. Drafts keep "not given" apart from
// "given as the default" and remember where things were written, so the finishing step can apply
// inheritance (global → instance) and report cross-field problems at the right line.

import type { VrrpVersion } from '../../packet/types.js';
import type { InitialState } from '../../vrrp/types.js';
import type { ConfigWord } from '../language/block-tree.js';
import type { SourceRef } from '../report/diagnostics.js';
import type {
  AddressFamily,
  GarpSettings,
  GlobalDefs,
  IpvlanMode,
  NotifyScripts,
  OldUnicastChecksum,
  RouteSpec,
  RuleSpec,
  ScriptSpec,
  StaticEntriesModel,
  TrackedInterface,
  TrackReference,
  UplinkGroupDecl,
  VipSpec,
} from '../model/types.js';
import { defaultGlobals, emptyNotify } from '../model/defaults.js';

export interface Located<T> {
  value: T;
  source: SourceRef;
}

export interface LocatedAddress {
  address: string;
  family: AddressFamily;
  source: SourceRef;
}

/** A unicast_peer line: the address and its min_ttl/max_ttl window, if written. */
export interface PeerDraft extends LocatedAddress {
  ttl: { min: number; max: number } | null;
}

export interface InstanceDraft {
  name: string;
  source: SourceRef;
  /** Position among the top-level blocks, to spot references to blocks defined later. */
  order: number;
  /** Supported keywords present in the block, valid or not. */
  written: Set<string>;
  state: Located<InitialState> | null;
  interface: Located<string> | null;
  vrid: Located<number> | null;
  priority: Located<number> | null;
  /** Seconds as written; converted once the version is known. */
  advertSeconds: Located<number> | null;
  version: Located<VrrpVersion> | null;
  /**
   * The family the first address (or native_ipv6) gave the instance, in file order, as keepalived
   * settles it; null: none yet (IPv4 in the end).
   */
  familyClaim: Located<AddressFamily> | null;
  authType: Located<'PASS' | 'AH'> | null;
  authPass: Located<string> | null;
  authBlock: SourceRef | null;
  vips: VipSpec[];
  excludedVips: VipSpec[];
  virtualRoutes: RouteSpec[];
  virtualRules: RuleSpec[];
  trackInterfaces: TrackedInterface[];
  trackScripts: TrackReference[];
  trackFiles: TrackReference[];
  trackProcesses: TrackReference[];
  trackBfds: TrackReference[];
  unicastSrcIp: LocatedAddress | null;
  unicastPeers: PeerDraft[];
  /** Where a unicast_peer block appeared, even an empty one (which is refused). */
  unicastPeerBlocks: SourceRef[];
  unicastTtl: number;
  /** Where unicast_ttl was written: keepalived ignores it (and reports it) without unicast peers. */
  unicastTtlAt: SourceRef | null;
  checkUnicastSrc: boolean | null;
  /** Where check_unicast_src was written: like unicast_src_ip, it asks for unicast (keepalived). */
  checkUnicastSrcAt: SourceRef | null;
  /** old_unicast_checksum [never]: where it was written (a unicast keyword) and the mode it set. */
  oldUnicastChecksum: Located<OldUnicastChecksum> | null;
  mcastSrcIp: LocatedAddress | null;
  nopreempt: SourceRef | null;
  preemptDelayMs: number;
  preemptDelayAt: SourceRef | null;
  /** down_timer_adverts N; null: the global vrrp_down_timer_adverts. */
  downTimerAdverts: Located<number> | null;
  garp: Partial<GarpSettings>;
  notify: NotifyScripts;
  smtpAlert: boolean;
  accept: boolean | null;
  acceptAt: SourceRef | null;
  dontTrackPrimary: boolean;
  skipCheckAdvAddr: boolean | null;
  /** strict_mode [on|off]; null: the global vrrp_strict. */
  strictMode: Located<boolean> | null;
  unicastFaultNoPeer: SourceRef | null;
  /**
   * The first unicast keyword (unicast_peer, even empty; unicast_src_ip, even unusable;
   * check_unicast_src; unicast_fault_no_peer): keepalived's "unicast configured" flag, which its
   * use_vmac checks test whether or not a peer is left.
   */
  unicastConfiguredAt: SourceRef | null;
  /** Ignored keywords written with a value strict mode forbids (vrrp-instance.ts STRICT_CONFLICTS). */
  strictConflicts: Array<{ at: SourceRef; what: string }>;
  /** notify_priority_changes [on|off]; null: the sync group's, else the global one. */
  notifyPriorityChanges: boolean | null;
  notifyDeleted: boolean;
  mcastDstIp: LocatedAddress | null;
  trackSrcIp: boolean;
  /** `beforeInterface`: keepalived looks a vrf written before `interface` up (vrrp_parser.c). */
  vrf: (Located<string> & { beforeInterface: boolean }) | null;
  useVmac: { name: string | null; mac: string | null; source: SourceRef } | null;
  vmacXmitBase: SourceRef | null;
  useVmacAddr: SourceRef | null;
  useIpvlan: UseIpvlanDraft | null;
}

export interface UseIpvlanDraft {
  name: string | null;
  address: (LocatedAddress & { prefix: number }) | null;
  mode: IpvlanMode;
  source: SourceRef;
}

export function newInstanceDraft(name: string, source: SourceRef, order: number): InstanceDraft {
  return {
    name,
    source,
    order,
    written: new Set(),
    state: null,
    interface: null,
    vrid: null,
    priority: null,
    advertSeconds: null,
    version: null,
    familyClaim: null,
    authType: null,
    authPass: null,
    authBlock: null,
    vips: [],
    excludedVips: [],
    virtualRoutes: [],
    virtualRules: [],
    trackInterfaces: [],
    trackScripts: [],
    trackFiles: [],
    trackProcesses: [],
    trackBfds: [],
    unicastSrcIp: null,
    unicastPeers: [],
    unicastPeerBlocks: [],
    unicastTtl: 255,
    unicastTtlAt: null,
    checkUnicastSrc: null,
    checkUnicastSrcAt: null,
    oldUnicastChecksum: null,
    mcastSrcIp: null,
    nopreempt: null,
    preemptDelayMs: 0,
    preemptDelayAt: null,
    downTimerAdverts: null,
    garp: {},
    notify: emptyNotify(),
    smtpAlert: false,
    accept: null,
    acceptAt: null,
    dontTrackPrimary: false,
    skipCheckAdvAddr: null,
    strictMode: null,
    unicastFaultNoPeer: null,
    unicastConfiguredAt: null,
    strictConflicts: [],
    notifyPriorityChanges: null,
    notifyDeleted: false,
    mcastDstIp: null,
    trackSrcIp: false,
    vrf: null,
    useVmac: null,
    vmacXmitBase: null,
    useVmacAddr: null,
    useIpvlan: null,
  };
}

export interface SyncGroupDraft {
  name: string;
  source: SourceRef;
  /** Position among the top-level blocks, to spot references to blocks defined later. */
  order: number;
  members: ConfigWord[];
  trackInterfaces: TrackedInterface[];
  trackScripts: TrackReference[];
  trackFiles: TrackReference[];
  trackProcesses: TrackReference[];
  trackBfds: TrackReference[];
  notify: NotifyScripts;
  smtpAlert: boolean;
  trackingWeight: boolean;
  notifyPriorityChanges: boolean | null;
}

export function newSyncGroupDraft(name: string, source: SourceRef, order: number): SyncGroupDraft {
  return {
    name,
    source,
    order,
    members: [],
    trackInterfaces: [],
    trackScripts: [],
    trackFiles: [],
    trackProcesses: [],
    trackBfds: [],
    notify: emptyNotify(),
    smtpAlert: false,
    trackingWeight: false,
    notifyPriorityChanges: null,
  };
}

export interface ScriptDraft {
  name: string;
  source: SourceRef;
  /** Position among the top-level blocks, to spot references to blocks defined later. */
  order: number;
  /** Supported keywords present in the block, valid or not. */
  written: Set<string>;
  script: ScriptSpec | null;
  intervalMs: number;
  timeoutMs: number | null;
  weight: number;
  weightReverse: boolean;
  rise: number;
  fall: number;
  user: { user: string; group: string | null } | null;
  initFail: boolean;
}

export function newScriptDraft(name: string, source: SourceRef, order: number): ScriptDraft {
  return {
    name,
    source,
    order,
    written: new Set(),
    script: null,
    intervalMs: 1000,
    timeoutMs: null,
    weight: 0,
    weightReverse: false,
    rise: 1,
    fall: 1,
    user: null,
    initFail: false,
  };
}

export interface TrackFileDraft {
  name: string;
  source: SourceRef;
  /** Position among the top-level blocks, to spot references to blocks defined later. */
  order: number;
  /** Supported keywords present in the block, valid or not. */
  written: Set<string>;
  path: string | null;
  weight: number;
  weightReverse: boolean;
  init: { value: number; overwrite: boolean } | null;
}

export function newTrackFileDraft(name: string, source: SourceRef, order: number): TrackFileDraft {
  return { name, source, order, written: new Set(), path: null, weight: 1, weightReverse: false, init: null };
}

export interface ProcessTrackDraft {
  name: string;
  source: SourceRef;
  order: number;
  written: Set<string>;
  process: string | null;
  params: string[];
  /** null: not given (none, or exact once parameters are). */
  paramMatch: 'exact' | 'partial' | 'initial' | null;
  fullCommand: boolean;
  weight: number | null;
  weightReverse: boolean;
  quorum: number;
  quorumMax: number | null;
  forkDelayMs: number;
  terminateDelayMs: number;
}

export function newProcessTrackDraft(name: string, source: SourceRef, order: number): ProcessTrackDraft {
  return {
    name,
    source,
    order,
    written: new Set(),
    process: null,
    params: [],
    paramMatch: null,
    fullCommand: false,
    weight: null,
    weightReverse: false,
    quorum: 1,
    quorumMax: null,
    forkDelayMs: 0,
    terminateDelayMs: 0,
  };
}

export interface BfdInstanceDraft {
  name: string;
  source: SourceRef;
  order: number;
  written: Set<string>;
  neighbor: LocatedAddress | null;
  sourceIp: LocatedAddress | null;
  minRxUs: number;
  minTxUs: number;
  idleTxUs: number;
  multiplier: number;
  passive: boolean;
  /** 0: not written (255 for IPv4, 64 for IPv6). */
  ttl: number;
  maxHops: number;
  weight: number;
  weightReverse: boolean;
  /** `vrrp` / `checker` written: the processes that receive its events (none written: all). */
  forVrrp: boolean;
  forChecker: boolean;
  /** A malformed neighbour address: keepalived's BFD process drops the instance. */
  broken: boolean;
}

/** keepalived's defaults (bfd.h): 10 ms min_rx/min_tx, 1 s idle_tx, multiplier 5, max_hops 0. */
export function newBfdInstanceDraft(name: string, source: SourceRef, order: number): BfdInstanceDraft {
  return {
    name,
    source,
    order,
    written: new Set(),
    neighbor: null,
    sourceIp: null,
    minRxUs: 10_000,
    minTxUs: 10_000,
    idleTxUs: 1_000_000,
    multiplier: 5,
    passive: false,
    ttl: 0,
    maxHops: 0,
    weight: 0,
    weightReverse: false,
    forVrrp: false,
    forChecker: false,
    broken: false,
  };
}

export interface ConfigDraft {
  /** Count of named top-level blocks read so far (gives each draft its `order`). */
  blocksRead: number;
  globals: GlobalDefs;
  instances: InstanceDraft[];
  syncGroups: SyncGroupDraft[];
  scripts: ScriptDraft[];
  trackFiles: TrackFileDraft[];
  processTracks: ProcessTrackDraft[];
  bfdInstances: BfdInstanceDraft[];
  /** uplink_group blocks, read whole (netgwm/uplink-group.ts); names are checked when finishing. */
  uplinkGroups: UplinkGroupDecl[];
  /** static_* entries; `order`: where the first static block was read (rule priorities count in file order). */
  statics: StaticEntriesModel & { order?: number };
  trackGroups: Array<{ name: string; source: SourceRef; members: ConfigWord[] }>;
}

export function newConfigDraft(): ConfigDraft {
  return {
    blocksRead: 0,
    globals: defaultGlobals(),
    instances: [],
    syncGroups: [],
    scripts: [],
    trackFiles: [],
    processTracks: [],
    bfdInstances: [],
    uplinkGroups: [],
    statics: { addresses: [], routes: [], rules: [] },
    trackGroups: [],
  };
}
