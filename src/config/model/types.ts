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

/**
 * keepalived's old_unicast_checksum (VRRPv3 over IPv4): keepalived before 1.3.6 put the multicast
 * group, not the unicast peer, in the checksum's pseudo-header. 'detect' (no keyword): RFC 5798
 * §5.2.8's form, switching to the old one when a unicast peer is heard using it; 'never': RFC form
 * only; 'always' (the bare keyword): the old form only.
 */
export type OldUnicastChecksum = 'detect' | 'never' | 'always';

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
  /** vrrp_down_timer_adverts: the default of every instance's down_timer_adverts. */
  downTimerAdverts: number;
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
  /**
   * notify_fifo_script / vrrp_notify_fifo_script: started with the FIFO's path as last argument
   * when the FIFO is opened (start, reload), terminated when it is closed; only with its FIFO.
   */
  notifyFifoScript: ScriptSpec | null;
  vrrpNotifyFifoScript: ScriptSpec | null;
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
  /**
   * net_namespace (a top-level keyword, kept with the globals): the network namespace the daemon
   * runs in, by its `ip netns` name (/run/netns/NAME); null: the one it was started in.
   */
  netNamespace: { name: string; source: SourceRef } | null;
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
  /**
   * peer ADDR: the far end of a point-to-point address (sent as IFA_ADDRESS; the kernel adds a
   * route to it). The address's own prefix is then the host prefix, as keepalived makes it.
   */
  peer?: string;
  /** home: IFA_F_HOMEADDRESS (Mobile IPv6 home address, RFC 6275). */
  homeAddress?: boolean;
  /**
   * -nodad: IPv6 duplicate address detection stays on. Without it IPv6 VIPs are added with
   * IFA_F_NODAD, as keepalived adds them (VRRP is the link's own duplicate detection).
   */
  dad?: boolean;
  /** mngtmpaddr: IFA_F_MANAGETEMPADDR (the kernel derives RFC 8981 temporary addresses from it). */
  manageTempAddress?: boolean;
  /** noprefixroute: IFA_F_NOPREFIXROUTE, no connected route for the prefix. */
  noPrefixRoute?: boolean;
  /** autojoin: IFA_F_MCAUTOJOIN, a multicast address the interface joins. */
  autoJoin?: boolean;
  /**
   * IPv6 preferred lifetime in seconds (IFA_CACHEINFO; the valid lifetime stays forever). Absent
   * means forever. keepalived's default, applied here: 0 for a /128 (deprecated, RFC 4862
   * §5.5.4, so never picked as a source address), forever otherwise.
   */
  preferredLifetime?: number;
  source: SourceRef;
}

/** RTN_* route types by iproute2's names (`unreachable 198.51.100.0/24`, `local 192.0.2.5 dev eth0`). */
export type RouteType =
  | 'unicast'
  | 'local'
  | 'broadcast'
  | 'anycast'
  | 'multicast'
  | 'blackhole'
  | 'unreachable'
  | 'prohibit'
  | 'throw'
  | 'nat'
  | 'xresolve';

/** RTAX_* metrics of a route line (RTA_METRICS). Times in the kernel's units (rtt 1/8 ms, rttvar 1/4 ms, rto_min ms). */
export interface RouteMetricsSpec {
  mtu?: number;
  window?: number;
  rtt?: number;
  rttvar?: number;
  ssthresh?: number;
  cwnd?: number;
  advmss?: number;
  reordering?: number;
  hoplimit?: number;
  initcwnd?: number;
  /** RTAX_FEATURES bits: 1 = ecn. */
  features?: number;
  rtoMin?: number;
  initrwnd?: number;
  quickack?: number;
  /** congctl: the TCP congestion control algorithm (RTAX_CC_ALGO). */
  congctl?: string;
  fastopenNoCookie?: number;
  /** Metrics written with `lock` (RTAX_LOCK): the kernel keeps them over what TCP learns. */
  lock?: Array<Exclude<keyof RouteMetricsSpec, 'lock'>>;
}

/** One `nexthop via ADDR [dev IF] [weight N] [onlink]` of a multipath route (or an `or` alternative). */
/**
 * `encap TYPE …` of a route or a next hop (lightweight tunnel, RTA_ENCAP): `ip`/`ip6` (an IP
 * tunnel's metadata: id, dst, src, tos|tc, ttl|hoplimit, flags), `mpls` LABEL[/LABEL], `ila`
 * LOCATOR. `id` is a decimal u64 kept as text.
 */
export type RouteEncapSpec =
  | {
      type: 'ip' | 'ip6';
      id: string | null;
      dst: string | null;
      src: string | null;
      /** tos (ip) or tc (ip6). */
      dsfield: number | null;
      /** ttl (ip) or hoplimit (ip6). */
      ttl: number | null;
      flags: number | null;
    }
  | { type: 'mpls'; labels: number[] }
  | { type: 'ila'; locator: string };

export interface RouteNexthopSpec {
  via: string | null;
  dev: string | null;
  /** 1..256; null = 1. */
  weight: number | null;
  onlink: boolean;
  encap?: RouteEncapSpec;
  /** realms [FROM/]TO of this next hop (IPv4, RTA_FLOW): FROM in the high 16 bits. */
  realms?: number;
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
  /** tos/dsfield: the DS field byte the route is for (rtm_tos; IPv4 only in the kernel). */
  tos?: number;
  /** mtu, advmss, rtt, … (RTA_METRICS). */
  metrics?: RouteMetricsSpec;
  /** realms [FROM/]TO (IPv4, RTA_FLOW): FROM in the high 16 bits. */
  realms?: number;
  /** pref low|medium|high (IPv6 router preference, RFC 4191 §2.1; RTA_PREF): 3, 0, 1, or as given. */
  pref?: number;
  /** expires SECONDS (IPv6, RTA_EXPIRES): the kernel removes the route then. */
  expires?: number;
  /** encap TYPE … (RTA_ENCAP). */
  encap?: RouteEncapSpec;
  /**
   * `vrf NAME`: the route goes in that VRF's table, which keepalived looks up while reading the
   * file (a missing VRF drops the route even when a later `table` wins: `tableWins`). Resolved
   * where the host's links are known (finish/route-vrfs.ts: `vrrpd -t`, and the daemon at each
   * load); kept as written offline.
   */
  vrf?: { name: string; source: SourceRef; tableWins: boolean };
  /** static_routes `track_group NAME`: that group's instances track the route's interface. */
  trackGroup: string | null;
  source: SourceRef;
}

/** What a rule does with a matching packet (FR_ACT_*): look up a table, go to a later rule, … */
export type RuleAction = 'table' | 'goto' | 'nop' | 'blackhole' | 'unreachable' | 'prohibit';

export interface RuleSpecRange {
  start: number;
  end: number;
}

export interface RuleSpec {
  family: AddressFamily;
  /** Source prefix or null for all. */
  from: string | null;
  to: string | null;
  /** table/lookup N; null for the other actions and for l3mdev (the VRF device names the table). */
  table: number | null;
  /** table (also l3mdev), goto, nop, blackhole, unreachable or prohibit. */
  action: RuleAction;
  /** goto N: the preference of the rule where matching continues (above this rule's own). */
  gotoTarget: number | null;
  /** not: the selectors match the packets they would not match (FIB_RULE_INVERT). */
  invert: boolean;
  /** tos/dsfield: the DS field byte to match. */
  tos: number | null;
  fwmark: number | null;
  fwmask: number | null;
  priority: number | null;
  iif: string | null;
  oif: string | null;
  /** realms [FROM/]TO (IPv4, table rules): FROM in the high 16 bits (FRA_FLOW). */
  realms: number | null;
  /** suppress_prefixlength N: table rules whose result has a prefix this short or shorter are ignored. */
  suppressPrefixLength: number | null;
  /** suppress_ifgroup N: table rules whose result leaves through this interface group are ignored. */
  suppressIfgroup: number | null;
  /** tunnel-id N (a 64-bit number, in decimal): FRA_TUN_ID. */
  tunnelId: string | null;
  uidRange: RuleSpecRange | null;
  /** l3mdev: look up the table of the packet's VRF device (FRA_L3MDEV). */
  l3mdev: boolean;
  /** FRA_PROTOCOL: who installed the rule; keepalived's 18 for every tracked rule, as keepalived sets it. */
  protocol: number | null;
  /** ipproto: the IP protocol to match (FRA_IP_PROTO). */
  ipProto: number | null;
  sport: RuleSpecRange | null;
  dport: RuleSpecRange | null;
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
  /** Name of a vrrp_script, track_file, vrrp_track_process or bfd_instance. */
  name: string;
  /** null = use the weight declared by the script / file. */
  weight: number | null;
  /** null = not written: the tracked object's own `reverse` applies (`noreverse` gives false). */
  reverse: boolean | null;
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
  /**
   * A `vrf` device written before `interface`: keepalived looks it up (a missing one refuses the
   * file, as any missing interface does), then clears it. Absent otherwise.
   */
  vrfLookup?: { name: string; source: SourceRef };
  trackScripts: TrackReference[];
  trackFiles: TrackReference[];
  /** track_process references (vrrp_track_process names). */
  trackProcesses: TrackReference[];
  /** track_bfd references (bfd_instance names). */
  trackBfds: TrackReference[];
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
  /** down_timer_adverts: adverts missed before the master is declared down (3 by default). */
  downTimerAdverts: number;
  oldUnicastChecksum: OldUnicastChecksum;
  /** unicast_fault_no_peer without any unicast peer: held in FAULT for as long as it runs. */
  faultNoPeer: boolean;
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
  trackBfds: TrackReference[];
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

/**
 * bfd_instance NAME { … } (keepalived 2.2.7 bfd_parser.c): one RFC 5880/5881 single-hop session
 * to a neighbour, which instances and sync groups track with track_bfd. Intervals in µs, as
 * keepalived keeps them (the file gives ms, with up to 3 decimals).
 */
export interface BfdInstanceModel {
  name: string;
  /**
   * null: keepalived's BFD process drops the instance (no or malformed neighbour, family
   * mismatch, duplicate address) while its VRRP process still knows the name, so a track_bfd
   * naming it stays down. vrrpd runs no session for it either.
   */
  neighbor: string | null;
  sourceAddress: string | null;
  minRxUs: number;
  minTxUs: number;
  idleTxUs: number;
  multiplier: number;
  passive: boolean;
  /** TTL (IPv4) or hop limit (IPv6) sent: 255 / 64 unless configured. */
  ttl: number;
  /** Hops a received packet may have crossed (0: TTL must be the sent one; -1: not checked). */
  maxHops: number;
  /** Default weight of the track_bfd entries naming it (keepalived's `weight` in the block). */
  weight: number;
  weightReverse: boolean;
  /** Whether the VRRP side may track it (`vrrp`, or neither `vrrp` nor `checker`, written). */
  vrrp: boolean;
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
  bfdInstances: BfdInstanceModel[];
  uplinkGroups: UplinkGroupDecl[];
  statics: StaticEntriesModel;
  trackGroups: TrackGroupModel[];
}
