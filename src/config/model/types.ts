// The typed configuration the daemon runs from: everything resolved (includes, conditionals,
// parameters, inherited global defaults), in the units the core uses, with every item remembering its
// file:line. It is what `vrrpd --dump-config` prints as JSON, and `modelToConfigText` turns it back
// into keepalived syntax that parses to the same model.
//
// Units: time fields end in their unit (Ms, Cs, Us); the advert interval is in centiseconds for both
// VRRP versions, like src/packet (v2 carries whole seconds on the wire). Absent optional values are
// `null` rather than missing, so the JSON dump always shows every field. Defaults: defaults.ts.
// Protocol notions the core owns (VRRP version, initial state) are the core's own types.

import type { VrrpVersion } from '../../packet/types.js';
import type { InitialState } from '../../vrrp/types.js';
import type { SourceRef } from '../report/diagnostics.js';

export type AddressFamily = 'ipv4' | 'ipv6';

/** A command keepalived would run, split the way keepalived splits it (see values/script-command.ts). */
export interface ScriptSpec {
  /** The command as written, after the config's own quote removal: `/path/script arg1 'arg two'`. */
  command: string;
  /** Whitespace-separated, with '…' and "…" quoting and backslash escapes; argv[0] is the program. */
  argv: string[];
  /** `username [groupname]` after the command; absent means global script_user, else keepalived's default. */
  user?: string;
  group?: string;
  source: SourceRef;
}

export interface FifoSpec {
  path: string;
  user: string | null;
  group: string | null;
  source: SourceRef;
}

export interface ScriptUser {
  user: string;
  group: string | null;
}

export interface GlobalDefs {
  /** null: use the host name (keepalived's default), which the daemon knows and the parser does not. */
  routerId: string | null;
  enableScriptSecurity: boolean;
  scriptUser: ScriptUser | null;
  vrrpVersion: VrrpVersion;
  /** Defaults every instance inherits unless it sets its own garp_master_* values. */
  garp: GarpSettings;
  /** vrrp_startup_delay: instances stay in INIT this long after start. */
  startupDelayMs: number;
  mcastGroup4: string;
  mcastGroup6: string;
  skipCheckAdvAddr: boolean;
  checkUnicastSrc: boolean;
  /** vmac_prefix: the VMAC name prefix (PREFIX.VRID); null = vrrp. */
  vmacPrefix: string | null;
  /** vmac_addr_prefix: the prefix of use_vmac_addr VMACs; null = vmac_prefix, else vrrp. */
  vmacAddrPrefix: string | null;
  /** vrrp_gna_interval: spacing of unsolicited neighbour adverts (IPv6 instances' garp.intervalUs), µs. */
  gnaIntervalUs: number;
  /** vrrp_notify_priority_changes: the default of every instance's notify_priority_changes. */
  notifyPriorityChanges: boolean;
  /** notify_fifo: every vrrp and group event, one line each. */
  notifyFifo: FifoSpec | null;
  /** vrrp_notify_fifo: vrrp events only. */
  vrrpNotifyFifo: FifoSpec | null;
  /** vrrp_priority: nice value -20..19 for the daemon; null leaves it unchanged. */
  processPriority: number | null;
  /** vrrp_no_swap: mlockall. */
  noSwap: boolean;
  /**
   * disable_local_igmp: net.ipv4.igmp_link_local_mcast_reports set to 0 at start (not on reload),
   * restored at stop — no IGMP reports for 224.0.0.18 from a BACKUP's VMAC.
   */
  disableLocalIgmp: boolean;
  /** vrrp_rt_priority: SCHED_RR priority 1..99; null keeps the normal scheduler. */
  realtimePriority: number | null;
  /** max_auto_priority: -1..99; null when not configured (keepalived default 0 = off). */
  maxAutoPriority: number | null;
  /** vrrp_strict: every instance runs in strict RFC mode unless it says `strict_mode off`. */
  vrrpStrict: boolean;
  /** dynamic_interfaces: interfaces named in the file may be created later (the config test allows absent ones). */
  dynamicInterfaces: boolean;
  startupScript: ScriptSpec | null;
  startupScriptTimeoutMs: number;
  shutdownScript: ScriptSpec | null;
  shutdownScriptTimeoutMs: number;
}

export interface GarpSettings {
  /** Delay before the second burst of gratuitous ARPs after becoming MASTER; 0 = no second burst. */
  masterDelayMs: number;
  /** GARPs per burst on becoming MASTER. */
  masterRepeat: number;
  /** Periodic GARP refresh while MASTER; 0 = off. */
  masterRefreshMs: number;
  masterRefreshRepeat: number;
  /** vrrp_garp_interval: spacing between individual GARP packets, microseconds. */
  intervalUs: number;
}

export interface VipSpec {
  address: string;
  prefix: number;
  family: AddressFamily;
  /** brd: an address, or '+' / '-' (set / clear host bits) as `ip addr` accepts. */
  broadcast: string | null;
  /** dev: null means the instance's interface. */
  dev: string | null;
  scope: string | null;
  label: string | null;
  /** no_track: removal of the address does not take the instance out of MASTER. */
  noTrack: boolean;
  /**
   * use_vmac on the line (virtual addresses only): the address lives on a VMAC of its device,
   * made for it as use_vmac_addr would (see finish/vip-vmac.ts for when keepalived drops the word).
   */
  useVmac?: boolean;
  source: SourceRef;
}

export type RouteType = 'unicast' | 'blackhole';

/** One `nexthop via ADDR [dev IF] [weight N] [onlink]` of a multipath route (or an `or` alternative). */
export interface RouteNexthopSpec {
  via: string | null;
  dev: string | null;
  /** 1..256; null = 1. */
  weight: number | null;
  onlink: boolean;
}

/** keepalived's add/prepend/append words: prepend (NLM_F_CREATE alone) unless the line says otherwise. */
export type RouteMode = 'prepend' | 'add' | 'append';

export interface RouteSpec {
  type: RouteType;
  family: AddressFamily;
  /** Destination prefix in CIDR form (`0.0.0.0/0` for default). */
  to: string;
  via: string | null;
  dev: string | null;
  src: string | null;
  /** Routing table number (main = 254). null = main. */
  table: number | null;
  metric: number | null;
  scope: string | null;
  /** Protocol number (static = 4, …); null = not given (keepalived then uses 18, "keepalived"). */
  protocol: number | null;
  onlink: boolean;
  noTrack: boolean;
  /**
   * Several next hops (`nexthop …` or the deprecated `via A or B`): an ECMP route, `via` and
   * `dev` are then null (each next hop has its own). null = a single-path route.
   */
  nexthops: RouteNexthopSpec[] | null;
  mode: RouteMode;
  /** static_routes `track_group NAME`: that group's instances track the route's interface. */
  trackGroup: string | null;
  source: SourceRef;
}

export interface RuleSpec {
  family: AddressFamily;
  /** Source prefix or null for all. */
  from: string | null;
  to: string | null;
  table: number;
  fwmark: number | null;
  fwmask: number | null;
  priority: number | null;
  iif: string | null;
  oif: string | null;
  noTrack: boolean;
  source: SourceRef;
}

export interface TrackedInterface {
  name: string;
  /** 0 = the instance goes to FAULT when the interface is down. */
  weight: number;
  reverse: boolean;
  source: SourceRef;
}

export interface TrackReference {
  /** Name of a vrrp_script or track_file. */
  name: string;
  /** null = use the weight declared by the script / file. */
  weight: number | null;
  reverse: boolean;
  source: SourceRef;
}

export interface NotifyScripts {
  master: ScriptSpec | null;
  backup: ScriptSpec | null;
  fault: ScriptSpec | null;
  stop: ScriptSpec | null;
  /** `notify`: run on every transition with TYPE NAME STATE PRIORITY appended. */
  any: ScriptSpec | null;
  /** notify_deleted SCRIPT (instances): run with its own argv when a reload removes the instance. */
  deleted: ScriptSpec | null;
  /** notify_master_rx_lower_pri (instances): run with its own argv when a MASTER hears a lower priority. */
  masterRxLowerPri: ScriptSpec | null;
}

export interface UnicastPeerTtl {
  address: string;
  min: number;
  max: number;
}

export interface VmacModel {
  /** use_vmac IFNAME; null: PREFIX.VRID (vmac_prefix, default vrrp). */
  name: string | null;
  /** The MAC (5 octets get the VRID as sixth); null: 00:00:5e:00:01:VRID (02 for IPv6). */
  mac: string | null;
  /** vmac_xmit_base: adverts on the base interface (forced with unicast peers, as keepalived does). */
  xmitBase: boolean;
}

/** use_ipvlan's kind: if_link.h IPVLAN_F_* (bridge is no flag), keepalived's default bridge. */
export type IpvlanMode = 'bridge' | 'private' | 'vepa';

export interface IpvlanModel {
  /** use_ipvlan IFNAME; null: PREFIX.VRID (vmac_prefix, default vrrp), as for a VMAC. */
  name: string | null;
  /**
   * The address put on the ipvlan (`/32` or `/128` when written without a length); the adverts'
   * source unless unicast_src_ip / mcast_src_ip names another. null: none (IPv6 then sends from
   * the ipvlan's link-local address; IPv4 cannot run, see InstanceModel.configFault).
   */
  address: { address: string; prefix: number; family: AddressFamily } | null;
  mode: IpvlanMode;
  /**
   * Whether the virtual addresses live on the ipvlan. keepalived 2.2.7 puts them there only when
   * use_vmac is written too (its VMAC flag decides where addresses go, vrrp.c); with use_ipvlan
   * alone they stay on the interface (its dump: "dev eth1"), and the ipvlan carries the adverts.
   */
  holdsVips: boolean;
}

export interface InstanceModel {
  name: string;
  /** Initial wanted state; with priority 255 MASTER is taken immediately. */
  state: InitialState;
  interface: string;
  vrid: number;
  priority: number;
  advertIntervalCs: number;
  version: VrrpVersion;
  family: AddressFamily;
  /** AH: IPsec AH as keepalived sends it (VRRPv2/IPv4; src/packet/ipsec-ah.ts). */
  authType: 'none' | 'PASS' | 'AH';
  /** At most 8 characters (keepalived truncates longer ones, with a warning from us). */
  authPass: string | null;
  vips: VipSpec[];
  excludedVips: VipSpec[];
  virtualRoutes: RouteSpec[];
  virtualRules: RuleSpec[];
  trackInterfaces: TrackedInterface[];
  trackScripts: TrackReference[];
  trackFiles: TrackReference[];
  /** track_process references (vrrp_track_process names). */
  trackProcesses: TrackReference[];
  unicastSrcIp: string | null;
  /** null = multicast; otherwise a non-empty list (an empty unicast_peer block is refused). */
  unicastPeers: string[] | null;
  unicastTtl: number;
  /**
   * `unicast_peer { ADDR min_ttl N max_ttl N }`: the peers with a TTL window (defaults 0 and 255);
   * an advert from such a peer outside its window is dropped. Any window turns on checkUnicastSrc.
   */
  unicastPeerTtl: UnicastPeerTtl[];
  checkUnicastSrc: boolean;
  mcastSrcIp: string | null;
  /** mcast_dst_ip: the group of this (multicast) instance; null = the global vrrp_mcast_group4/6. */
  mcastDstIp: string | null;
  /** track_src_ip: FAULT while the configured source address is not on the interface. */
  trackSrcIp: boolean;
  /** use_vmac: the virtual addresses live on a macvlan with the virtual MAC; null = not used. */
  vmac: VmacModel | null;
  /**
   * use_vmac_addr: virtual addresses written with `dev OTHER` live on a VMAC of OTHER (named with
   * vmac_addr_prefix), with the instance's virtual MAC.
   */
  useVmacAddr: boolean;
  /** use_ipvlan: the virtual addresses live on an L2 ipvlan of the interface; null = not used. */
  ipvlan: IpvlanModel | null;
  /**
   * A configuration keepalived runs but holds in FAULT for good ("setting instance to fault
   * state": an IPv4 use_ipvlan without an address); null when there is none.
   */
  configFault: string | null;
  preempt: boolean;
  preemptDelayMs: number;
  garp: GarpSettings;
  notify: NotifyScripts;
  /**
   * notify_deleted written (with or without a script): a reload that removes the instance reports
   * DELETED; otherwise keepalived's historic FAULT (nothing if it already was FAULT).
   */
  notifyDeleted: boolean;
  /** smtp_alert is accepted and ignored (no e-mail); kept so the dump shows what was asked. */
  smtpAlert: boolean;
  accept: boolean;
  dontTrackPrimary: boolean;
  skipCheckAdvAddr: boolean;
  /** strict_mode, or the global vrrp_strict: keepalived's strict RFC mode (see finish/strict-mode.ts). */
  strict: boolean;
  /** A MASTER that hears a lower priority stays silent (strict mode) instead of answering with an advert. */
  lowerPriorityNoAdvert: boolean;
  /**
   * A MASTER that yields to a higher priority sends one advert first, so the winner re-announces
   * itself (keepalived #166). vrrpd does this by default; strict mode turns it off, as in keepalived.
   */
  higherPrioritySendAdvert: boolean;
  /**
   * notify_priority_changes (else the sync group's, else vrrp_notify_priority_changes): each change
   * of the effective priority writes `INSTANCE "NAME" MASTER_PRIORITY|BACKUP_PRIORITY N` to the FIFOs.
   */
  notifyPriorityChanges: boolean;
  /** Gratuitous ARPs when a MASTER hears a lower priority; null: the same as on becoming MASTER. */
  garpLowerPriority: { repeat: number; delayMs: number } | null;
  source: SourceRef;
}

export interface SyncGroupModel {
  name: string;
  instances: string[];
  trackInterfaces: TrackedInterface[];
  trackScripts: TrackReference[];
  trackFiles: TrackReference[];
  trackProcesses: TrackReference[];
  notify: NotifyScripts;
  smtpAlert: boolean;
  /** sync_group_tracking_weight (or deprecated global_tracking): keep member track weights. */
  trackingWeight: boolean;
  /** notify_priority_changes of the group: the default of its members; null when not written. */
  notifyPriorityChanges: boolean | null;
  source: SourceRef;
}

export interface VrrpScriptModel {
  name: string;
  script: ScriptSpec;
  intervalMs: number;
  /** keepalived uses the interval when no timeout is given; resolved here. */
  timeoutMs: number;
  weight: number;
  weightReverse: boolean;
  rise: number;
  fall: number;
  /** init_fail: the script starts in the failed state. (`user U [G]` lands in script.user/group.) */
  initFail: boolean;
  source: SourceRef;
}

export interface TrackFileModel {
  name: string;
  path: string;
  weight: number;
  weightReverse: boolean;
  /** init_file [VALUE] [overwrite]: null when the file is not to be created. */
  init: { value: number; overwrite: boolean } | null;
  source: SourceRef;
}

/** vrrp_track_process NAME { … }, defaulted as keepalived defaults it. */
export interface ProcessTrackModel {
  name: string;
  process: string;
  params: string[];
  /** none unless param_match was given or parameters were (then exact). */
  paramMatch: 'none' | 'exact' | 'partial' | 'initial';
  /** Compare argv[0] of /proc/PID/cmdline instead of the process name. */
  fullCommand: boolean;
  quorum: number;
  /** null: unlimited. */
  quorumMax: number | null;
  forkDelayMs: number;
  terminateDelayMs: number;
  weight: number;
  weightReverse: boolean;
  source: SourceRef;
}

/** What an uplink_group follows: the route is owned only while this instance or sync group is MASTER. */
export interface UplinkFollow {
  kind: 'instance' | 'group';
  name: string;
  source: SourceRef;
}

export type LeaveMasterPolicy =
  | { kind: 'leave' }
  /** Restore `default [via IP] [dev DEV]` (e.g. via the other router) when leaving MASTER. */
  | { kind: 'fallback'; via: string | null; dev: string | null };

/** `uplink_group NAME { … }`: a netgwm.yml tied to VRRP (the yml itself is read by the daemon's uplink shell). */
export interface UplinkGroupDecl {
  name: string;
  /** Absolute path of the netgwm.yml. */
  configPath: string;
  /** null: standalone, the group always owns the default route. */
  follow: UplinkFollow | null;
  onLeaveMaster: LeaveMasterPolicy;
  source: SourceRef;
}

/** A static_ipaddress line: a VipSpec (dev null: eth0, keepalived's default interface). */
export interface StaticAddress extends VipSpec {
  trackGroup: string | null;
}

export interface StaticRule extends RuleSpec {
  trackGroup: string | null;
}

/** static_ipaddress / static_routes / static_rules: installed at start-up, removed at stop. */
export interface StaticEntriesModel {
  addresses: StaticAddress[];
  routes: RouteSpec[];
  rules: StaticRule[];
}

/** `track_group NAME { group { … } }`: the instances that track the interfaces of its static entries. */
export interface TrackGroupModel {
  name: string;
  instances: string[];
  source: SourceRef;
}

export interface VrrpdConfig {
  globals: GlobalDefs;
  instances: InstanceModel[];
  syncGroups: SyncGroupModel[];
  scripts: VrrpScriptModel[];
  trackFiles: TrackFileModel[];
  processTracks: ProcessTrackModel[];
  uplinkGroups: UplinkGroupDecl[];
  statics: StaticEntriesModel;
  trackGroups: TrackGroupModel[];
}
