// Draft → InstanceModel: inherits global defaults, settles the address family and version, converts
// the advert interval for that version, and applies what keepalived decides once the whole block is
// read (vrrp.c, vrrp_complete_instance), in its order: priority and state from each other, strict
// mode, authentication, preemption, accept mode. keepalived's adjustments are reproduced with a
// warning, marked where keepalived reports them too (its `-t` then exits 5, and so does vrrpd's);
// what keepalived refuses stays an error.

import { settleVipVmacs } from './vip-vmac.js';
import { resolveIpvlan } from './ipvlan.js';
import type { VrrpVersion } from '../../packet/types.js';
import { V2_MAX_ADVERT_INTERVAL_S, V3_MAX_ADVERT_INTERVAL_CS } from '../../packet/vrrp.js';
import { OWNER_PRIORITY, type InitialState } from '../../vrrp/types.js';
import { DEFAULT_DOWN_TIMER_ADVERTS } from '../../vrrp/timing.js';
import type { DiagnosticSink, SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes, KEEPALIVED_REPORTS } from '../report/diagnostics.js';
import type { InstanceDraft } from '../keywords/drafts.js';
import type { AddressFamily, GlobalDefs, InstanceModel, VmacModel } from '../model/types.js';
import { KEEPALIVED_DEFAULTS } from '../model/defaults.js';
import { checkVips, resolveAddresses, resolveUnicastPeers } from './addresses.js';
import { adjustedForStrict, strictRuntime, type StrictContext } from './strict-mode.js';

export function finishInstance(
  draft: InstanceDraft,
  globals: GlobalDefs,
  sink: DiagnosticSink,
): InstanceModel | null {
  const where = `vrrp_instance ${draft.name}`;
  // keepalived 2.2.7 refuses every instance without `interface` ("Unknown interface!", and its
  // VRRP process exits): chk_min_cfg accepts one only when the instance is already marked unicast,
  // which happens later (vrrp_complete_instance), so its interface-less unicast mode (unicast_src_ip,
  // routed adverts, `vrf`) is never reached. Observed with 2.2.7, -t and live.
  if (!draft.interface && !draft.written.has('interface')) {
    sink.report(
      DiagnosticCodes.missing,
      draft.source,
      `${where} has no 'interface'`,
      'add: interface <IFNAME>; keepalived 2.2.7 refuses it too ("Unknown interface!"), even for a unicast instance with unicast_src_ip',
    );
  }
  if (!draft.vrid && !draft.written.has('virtual_router_id')) {
    sink.report(
      DiagnosticCodes.missing,
      draft.source,
      `${where} has no 'virtual_router_id'`,
      'add: virtual_router_id <1-255>, the same on every router of this virtual router',
    );
  }
  const strict = draft.strictMode?.value ?? globals.vrrpStrict;
  const strictCtx: StrictContext = {
    where,
    because: draft.strictMode ? `strict_mode, line ${draft.strictMode.source.line}` : 'global vrrp_strict',
    sink,
  };
  const addresses = resolveAddresses(draft, where, sink);
  const { family, vips } = addresses;
  const version = resolveVersion(draft, globals, family, strict ? strictCtx : null, where, sink);
  const advertIntervalCs = resolveAdvertInterval(draft, version, sink);
  const hasVips = requireVips(draft, vips.length > 0, version, family, strict, where, sink);
  const priority = resolvePriority(draft, where, sink);
  const auth = resolveAuthentication(draft, version, family, strict ? strictCtx : null, where, sink);
  const state = stateForAh(
    resolveState(draft, priority, strict ? strictCtx : null),
    priority,
    auth,
    draft,
    where,
    sink,
  );
  // keepalived 2.2.7 means to refuse unicast peers in strict mode, but checks before it marks the
  // instance unicast, so it runs them: so does vrrpd.
  const unicastPeers = resolveUnicastPeers(draft, addresses, where, sink);
  if (draft.unicastTtlAt && unicastPeers === null) {
    // keepalived resets the TTL to 0 here; for IPv4 it writes that into the header of its
    // multicast adverts, which then never reach the link (observed with 2.2.7).
    sink.report(
      DiagnosticCodes.adjusted,
      draft.unicastTtlAt,
      family === 'ipv4'
        ? `unicast_ttl is ignored in ${where}: it has no unicast peers, so its multicast adverts go out with TTL 255 (RFC 3768 §5.2.3); keepalived 2.2.7 reports it too, but then sends its adverts with TTL 0 and none reaches the link`
        : `unicast_ttl is ignored in ${where}: it has no unicast peers, as keepalived ignores it`,
      family === 'ipv4'
        ? 'remove unicast_ttl (a keepalived router with this file is heard by no one, and every router becomes MASTER), or list the peers in unicast_peer { … }'
        : 'remove unicast_ttl, or list the peers in unicast_peer { … }',
      KEEPALIVED_REPORTS,
    );
  }
  const { preempt, preemptDelayMs } = resolvePreemption(
    draft,
    state,
    priority,
    strict ? strictCtx : null,
    where,
    sink,
  );
  const downTimerAdverts = resolveDownTimerAdverts(draft, globals, strict ? strictCtx : null);
  const accept = resolveAccept(draft, priority, version, strict ? strictCtx : null);
  if (strict) {
    for (const conflict of draft.strictConflicts)
      adjustedForStrict(strictCtx, conflict.at, `'${conflict.what}'`, 'strict mode’s value is used');
  }
  checkVips(vips, draft.excludedVips, draft.interface?.value, where, sink);
  const vrfLookup = checkVrf(draft, where, sink);
  const unicastWritten = draft.unicastConfiguredAt !== null;
  // keepalived clears use_vmac and use_ipvlan at the end of the block, before it refuses the
  // instance: the same report, then the refusal above.
  if (!draft.interface && draft.useVmac && unicastWritten) resolveVmac(draft, true, null, where, sink);
  else if (!draft.interface && draft.useIpvlan && unicastWritten)
    sink.report(
      DiagnosticCodes.adjusted,
      draft.useIpvlan.source,
      `${where}: cannot use an ipvlan with unicast and no interface - use_ipvlan is cleared, as keepalived clears it`,
      'name the interface (interface …) to use an ipvlan',
      KEEPALIVED_REPORTS,
    );
  if (!draft.interface || !draft.vrid || advertIntervalCs === null || !hasVips) return null;
  const resolvedVmac = resolveVmac(draft, unicastWritten, strict ? strictCtx : null, where, sink);
  const { ipvlan, configFault } = resolveIpvlan(draft, family, unicastWritten, where, sink);
  // keepalived makes the ipvlan when both are written (finish/ipvlan.ts reports it).
  const vmac = ipvlan ? null : resolvedVmac;
  const vipVmacs = {
    interface: draft.interface.value,
    family,
    instanceVmac: vmac !== null,
    useVmacAddr: draft.useVmacAddr !== null,
    where,
  };
  return {
    name: draft.name,
    state,
    interface: draft.interface.value,
    vrid: draft.vrid.value,
    priority,
    advertIntervalCs,
    version,
    family,
    authType: auth.type,
    authPass: auth.pass,
    vips: settleVipVmacs(vips, vipVmacs, sink),
    excludedVips: settleVipVmacs(draft.excludedVips, vipVmacs, sink),
    virtualRoutes: draft.virtualRoutes,
    virtualRules: draft.virtualRules,
    trackInterfaces: draft.trackInterfaces,
    ...(vrfLookup ? { vrfLookup } : {}),
    trackScripts: draft.trackScripts,
    trackFiles: draft.trackFiles,
    trackProcesses: draft.trackProcesses,
    trackBfds: draft.trackBfds,
    unicastSrcIp: addresses.unicastSrcIp?.address ?? null,
    unicastPeers,
    // Without peers keepalived ignores unicast_ttl (reported above); the model keeps the default.
    unicastTtl: unicastPeers ? draft.unicastTtl : KEEPALIVED_DEFAULTS.unicastTtl,
    // A repeated peer: the first line's window, as keepalived's source check stops at it.
    unicastPeerTtl: unicastPeers
      ? addresses.peers.flatMap((p, i, all) =>
          p.ttl && all.findIndex((q) => q.address === p.address) === i
            ? [{ address: p.address, ...p.ttl }]
            : [],
        )
      : [],
    // keepalived sets the instance's check_unicast_src flag for any parsed min_ttl/max_ttl.
    checkUnicastSrc:
      (draft.checkUnicastSrc ?? globals.checkUnicastSrc) ||
      (unicastPeers !== null && addresses.peers.some((p) => p.ttl !== null)),
    mcastSrcIp: addresses.mcastSrcIp?.address ?? null,
    mcastDstIp: resolveMcastDst(draft, family, unicastPeers !== null, where, sink),
    // keepalived clears track_src_ip silently without a configured source address.
    vmac,
    useVmacAddr: draft.useVmacAddr !== null,
    ipvlan,
    configFault,
    trackSrcIp:
      draft.trackSrcIp &&
      // use_ipvlan's address counts as configured (keepalived takes it as the source).
      (Boolean(ipvlan?.address) ||
        (unicastPeers !== null
          ? addresses.unicastSrcIp !== null
          : (addresses.mcastSrcIp ?? addresses.unicastSrcIp) !== null)),
    preempt,
    preemptDelayMs,
    downTimerAdverts,
    oldUnicastChecksum: draft.oldUnicastChecksum?.value ?? 'detect',
    faultNoPeer: draft.unicastFaultNoPeer !== null && unicastPeers === null,
    // An IPv6 instance announces with unsolicited NAs: vrrp_gna_interval spaces them.
    garp: {
      ...globals.garp,
      ...(family === 'ipv6' ? { intervalUs: globals.gnaIntervalUs } : {}),
      ...draft.garp,
    },
    notify: draft.notify,
    notifyDeleted: draft.notifyDeleted,
    smtpAlert: draft.smtpAlert,
    accept,
    dontTrackPrimary: draft.dontTrackPrimary,
    skipCheckAdvAddr: draft.skipCheckAdvAddr ?? globals.skipCheckAdvAddr,
    strict,
    // Settled once the sync groups are known (finish/config.ts).
    notifyPriorityChanges: draft.notifyPriorityChanges ?? globals.notifyPriorityChanges,
    ...strictRuntime(strict),
    source: draft.source,
  };
}

/**
 * down_timer_adverts, else the global vrrp_down_timer_adverts. Strict mode puts back the RFC's 3
 * with a report, after preempt_delay, as keepalived's vrrp_complete_instance does.
 */
function resolveDownTimerAdverts(
  draft: InstanceDraft,
  globals: GlobalDefs,
  strict: StrictContext | null,
): number {
  const count = draft.downTimerAdverts?.value ?? globals.downTimerAdverts;
  if (strict && count !== DEFAULT_DOWN_TIMER_ADVERTS) {
    adjustedForStrict(
      strict,
      draft.downTimerAdverts?.source ?? draft.source,
      draft.downTimerAdverts ? `down_timer_adverts ${count}` : `vrrp_down_timer_adverts ${count}`,
      `${DEFAULT_DOWN_TIMER_ADVERTS} is used (RFC 5798 §6.1)`,
    );
    return DEFAULT_DOWN_TIMER_ADVERTS;
  }
  return count;
}

/**
 * mcast_dst_ip must match the instance's family (keepalived: "MUST match VRRP instance family") and
 * means nothing with unicast peers ("multicast destination specified with unicast - ignoring").
 */
function resolveMcastDst(
  draft: InstanceDraft,
  family: AddressFamily,
  unicast: boolean,
  where: string,
  sink: DiagnosticSink,
): string | null {
  const given = draft.mcastDstIp;
  if (!given) return null;
  if (given.family !== family) {
    sink.report(
      DiagnosticCodes.conflictDropped,
      given.source,
      `mcast_dst_ip ${given.address} must match the family of ${where}`,
      undefined,
      'skipped, as keepalived skips it',
    );
    return null;
  }
  if (unicast) {
    sink.report(
      DiagnosticCodes.conflictDropped,
      given.source,
      `${where}: multicast destination specified with unicast peers`,
      'remove mcast_dst_ip, or the unicast_peer block',
      'ignored, as keepalived ignores it',
    );
    return null;
  }
  return given.address;
}

/** Linux's interface name buffer, with its NUL. */
const IFNAMSIZ = 16;

/**
 * keepalived (vrrp_parser.c, then vrrp.c) ignores a vrf name of 16 bytes or more; a vrf written after
 * `interface` is ignored at once; one written before is looked up (a missing device refuses the
 * file, as any missing interface does; the loopback is ignored) and then cleared, as the instance
 * names its interface. An instance without one is refused (see finishInstance), by keepalived 2.2.7
 * too, so vrf never takes effect. Returns the device keepalived looks up, for the existence check.
 */
function checkVrf(
  draft: InstanceDraft,
  where: string,
  sink: DiagnosticSink,
): { name: string; source: SourceRef } | undefined {
  const vrf = draft.vrf;
  if (!vrf || !draft.interface) return undefined;
  const hint =
    'keepalived uses vrf only for unicast instances without `interface`, which 2.2.7 then refuses ("Unknown interface!"); run vrrpd inside the VRF (ip vrf exec) instead';
  const ignored = (text: string): void =>
    sink.report(DiagnosticCodes.adjusted, vrf.source, `${where}: ${text}`, hint, KEEPALIVED_REPORTS);
  if (Buffer.byteLength(vrf.value) >= IFNAMSIZ) {
    ignored(`VRF interface name '${vrf.value}' too long - ignored, as keepalived ignores it`);
    return undefined;
  }
  if (!vrf.beforeInterface) {
    ignored(
      `cannot specify VRF interface and interface - vrf ${vrf.value} is ignored, as keepalived ignores it`,
    );
    return undefined;
  }
  if (vrf.value === 'lo') {
    ignored(`cannot use a loopback interface (lo) for VRF - ignored, as keepalived ignores it`);
    return undefined;
  }
  ignored(
    `vrf can only be specified without interface - vrf ${vrf.value} is cleared, as keepalived clears it`,
  );
  return { name: vrf.value, source: vrf.source };
}

/**
 * keepalived's use_vmac checks once the block is read (vrrp_parser.c end of block, then vrrp.c):
 * any unicast keyword (`unicastConfigured`, even with no peer left) needs an interface (else
 * use_vmac is cleared) and vmac_xmit_base (set, with a warning); then strict mode clears a configured MAC
 * and vmac_xmit_base; vmac_xmit_base without use_vmac is cleared with a warning.
 */
function resolveVmac(
  draft: InstanceDraft,
  unicastConfigured: boolean,
  strict: StrictContext | null,
  where: string,
  sink: DiagnosticSink,
): VmacModel | null {
  const use = draft.useVmac;
  if (!use) {
    if (draft.vmacXmitBase)
      sink.report(
        DiagnosticCodes.adjusted,
        draft.vmacXmitBase,
        `${where}: vmac_xmit_base is only valid with a vmac - ignored, as keepalived ignores it`,
        'add use_vmac, or remove vmac_xmit_base',
        KEEPALIVED_REPORTS,
      );
    return null;
  }
  let mac = use.mac;
  let xmitBase = draft.vmacXmitBase !== null;
  // keepalived tests its "unicast configured" flag here, at the end of the block: an empty
  // unicast_peer block, a lone unicast_src_ip or check_unicast_src count, peers or not.
  if (unicastConfigured && !draft.interface) {
    sink.report(
      DiagnosticCodes.adjusted,
      use.source,
      `${where}: cannot use a VMAC with unicast and no interface - use_vmac is cleared, as keepalived clears it`,
      'name the interface (interface …) to use a VMAC',
      KEEPALIVED_REPORTS,
    );
    return null;
  }
  if (unicastConfigured && !xmitBase) {
    sink.report(
      DiagnosticCodes.adjusted,
      use.source,
      `${where}: unicast with use_vmac requires vmac_xmit_base - setting it, as keepalived does`,
      'write vmac_xmit_base: unicast adverts go to and come from the base interface',
      KEEPALIVED_REPORTS,
    );
    xmitBase = true;
  }
  if (strict && mac !== null) {
    adjustedForStrict(
      strict,
      use.source,
      'a VMAC MAC address',
      'the MAC is cleared (00:00:5e:00:01:VRID is used)',
    );
    mac = null;
  }
  if (strict && xmitBase) {
    adjustedForStrict(strict, draft.vmacXmitBase ?? use.source, 'vmac_xmit_base', 'it is reset');
    xmitBase = false;
  }
  return { name: use.name, mac, xmitBase };
}

function resolveVersion(
  draft: InstanceDraft,
  globals: GlobalDefs,
  family: AddressFamily,
  strict: StrictContext | null,
  where: string,
  sink: DiagnosticSink,
): VrrpVersion {
  if (family === 'ipv6') {
    if (draft.version?.value === 2) {
      if (strict) {
        adjustedForStrict(strict, draft.version.source, 'VRRPv2 with IPv6', 'version 3 is used');
      } else {
        // keepalived 2.2.7 runs it (captured: test/fixtures/keepalived/v2-ipv6-multicast.hex), so
        // vrrpd does too, saying it is not a standard.
        sink.report(
          DiagnosticCodes.suspicious,
          draft.version.source,
          `${where} is IPv6 with 'version 2': a non-standard VRRPv2 over IPv6 (RFC 5798 defines only version 3 for IPv6), run as keepalived runs it — no authentication data on the wire, whole-second intervals`,
          'remove the version line (IPv6 defaults to version 3) unless a peer needs it',
        );
        return 2;
      }
    }
    return 3;
  }
  return draft.version?.value ?? globals.vrrpVersion;
}

/** keepalived rounds a VRRPv2 interval to whole seconds (at least 1) and caps a VRRPv3 one at 40.95 s. */
function resolveAdvertInterval(
  draft: InstanceDraft,
  version: VrrpVersion,
  sink: DiagnosticSink,
): number | null {
  const given = draft.advertSeconds;
  if (!given) return KEEPALIVED_DEFAULTS.advertIntervalCs;
  const seconds = given.value;
  if (version === 2) {
    const whole = Math.min(Math.max(Math.round(seconds), 1), V2_MAX_ADVERT_INTERVAL_S);
    if (whole !== seconds) {
      sink.report(
        DiagnosticCodes.adjusted,
        given.source,
        `advert_int ${seconds} is rounded to ${whole} second${whole === 1 ? '' : 's'}: VRRPv2 adverts carry whole seconds`,
        'keepalived rounds it the same way; write a whole number, or use version 3 for fractions',
        KEEPALIVED_REPORTS,
      );
    }
    return whole * 100;
  }
  const centiseconds = Math.min(Math.max(Math.round(seconds * 100), 1), V3_MAX_ADVERT_INTERVAL_CS);
  if (Math.abs(centiseconds - seconds * 100) > 1e-6) {
    sink.report(
      DiagnosticCodes.adjusted,
      given.source,
      centiseconds === V3_MAX_ADVERT_INTERVAL_CS
        ? `advert_int ${seconds} is more than VRRPv3 can carry: 40.95 seconds is used, as keepalived uses it`
        : `advert_int ${seconds} is rounded to ${centiseconds / 100} seconds: VRRPv3 adverts carry centiseconds`,
      'keepalived rounds it the same way',
      KEEPALIVED_REPORTS,
    );
  }
  return centiseconds;
}

/** keepalived refuses an instance without addresses in VRRPv3, IPv6 or strict mode; else it warns. */
function requireVips(
  draft: InstanceDraft,
  hasVips: boolean,
  version: VrrpVersion,
  family: AddressFamily,
  strict: boolean,
  where: string,
  sink: DiagnosticSink,
): boolean {
  if (hasVips) return true;
  if (version === 3 || family === 'ipv6' || strict) {
    const why = strict ? 'in strict mode' : version === 3 ? 'with VRRPv3' : 'with IPv6';
    sink.report(
      DiagnosticCodes.missing,
      draft.source,
      `${where} has no virtual_ipaddress, which ${why} keepalived refuses to run ("at least one is required")`,
      'add a virtual_ipaddress { … } block',
    );
    return false;
  }
  sink.report(
    DiagnosticCodes.suspicious,
    draft.source,
    `${where} has no virtual_ipaddress: it will elect a master but move no address`,
    undefined,
    // keepalived: "No VIP specified; at least one is sensible".
    KEEPALIVED_REPORTS,
  );
  return true;
}

/** Without a priority, keepalived derives it from the state: MASTER means the address owner. */
function resolvePriority(draft: InstanceDraft, where: string, sink: DiagnosticSink): number {
  if (draft.priority) return draft.priority.value;
  if (draft.state?.value === 'MASTER') {
    sink.report(
      DiagnosticCodes.suspicious,
      draft.state.source,
      `${where} has state MASTER and no priority, so it runs with priority 255 (address owner), as keepalived does`,
      'set a priority (e.g. priority 200) unless this router really owns the virtual addresses',
    );
    return OWNER_PRIORITY;
  }
  return KEEPALIVED_DEFAULTS.priority;
}

/** Without a state, keepalived derives it from the priority; strict mode makes them agree. */
function resolveState(draft: InstanceDraft, priority: number, strict: StrictContext | null): InitialState {
  const owner = priority === OWNER_PRIORITY;
  if (!draft.state) return owner ? 'MASTER' : 'BACKUP';
  const state = draft.state.value;
  if (strict && state === 'MASTER' && !owner) {
    adjustedForStrict(
      strict,
      draft.state.source,
      `state MASTER with priority ${priority} (not the address owner)`,
      'the instance starts as BACKUP',
    );
    return 'BACKUP';
  }
  // keepalived makes the state match ownership both ways ("State MASTER must match being address owner").
  if (strict && state === 'BACKUP' && owner) {
    adjustedForStrict(
      strict,
      draft.state.source,
      'state BACKUP with priority 255 (the address owner)',
      'the instance starts as MASTER',
    );
    return 'MASTER';
  }
  return state;
}

function resolveAuthentication(
  draft: InstanceDraft,
  version: VrrpVersion,
  family: AddressFamily,
  strict: StrictContext | null,
  where: string,
  sink: DiagnosticSink,
): { type: 'none' | 'PASS' | 'AH'; pass: string | null } {
  if (!draft.authBlock) return { type: 'none', pass: null };
  if (strict && draft.authType) {
    adjustedForStrict(strict, draft.authBlock, 'authentication', 'adverts are sent without it');
    return { type: 'none', pass: null };
  }
  if (version === 3) {
    sink.report(
      DiagnosticCodes.adjusted,
      draft.authBlock,
      `authentication is ignored in ${where}: VRRPv3 has none (RFC 5798), as keepalived also ignores it`,
      'remove the authentication block, or use version 2 if the peers expect a password',
      KEEPALIVED_REPORTS,
    );
    return { type: 'none', pass: null };
  }
  if (draft.authType && !draft.authPass?.value) {
    sink.report(
      DiagnosticCodes.missingDropped,
      draft.authType.source,
      `auth_type ${draft.authType.value} in ${where} has no password`,
      'add: auth_pass <PASSWORD>',
      `adverts are sent without authentication, as keepalived sends them`,
    );
    return { type: 'none', pass: null };
  }
  if (!draft.authType) {
    if (draft.authPass) {
      sink.report(
        DiagnosticCodes.suspicious,
        draft.authPass.source,
        `auth_pass without auth_type in ${where} is ignored: adverts are sent without authentication`,
        'add auth_type PASS',
      );
    }
    return { type: 'none', pass: null };
  }
  if (draft.authType.value === 'AH' && family === 'ipv6') {
    sink.report(
      DiagnosticCodes.adjusted,
      draft.authType.source,
      `${where}: cannot use AH authentication with IPv6, ignoring`,
      undefined,
      KEEPALIVED_REPORTS,
    );
    return { type: 'none', pass: null };
  }
  return { type: draft.authType.value, pass: draft.authPass?.value ?? null };
}

/**
 * keepalived: an AH instance must learn the current sequence number from the master before it can
 * send, so `state MASTER` (not the address owner) starts BACKUP.
 */
function stateForAh(
  state: InitialState,
  priority: number,
  auth: { type: string },
  draft: InstanceDraft,
  where: string,
  sink: DiagnosticSink,
): InitialState {
  if (auth.type !== 'AH' || state !== 'MASTER' || priority === OWNER_PRIORITY) return state;
  sink.report(
    DiagnosticCodes.adjusted,
    draft.state?.source ?? draft.source,
    `${where}: initial state MASTER is incompatible with AH authentication - it starts as BACKUP, as keepalived does`,
    'write state BACKUP (an AH router learns the sequence number from the master before it may send)',
    KEEPALIVED_REPORTS,
  );
  return 'BACKUP';
}

/** keepalived's order: owner, then initial state MASTER, then preempt_delay's own conflicts. */
function resolvePreemption(
  draft: InstanceDraft,
  state: InitialState,
  priority: number,
  strict: StrictContext | null,
  where: string,
  sink: DiagnosticSink,
): { preempt: boolean; preemptDelayMs: number } {
  let nopreempt = draft.nopreempt;
  let preemptDelayMs = draft.preemptDelayMs;
  const adjusted = (message: string, hint?: string): void =>
    sink.report(DiagnosticCodes.adjusted, nopreempt ?? draft.source, message, hint, KEEPALIVED_REPORTS);
  if (nopreempt && priority === OWNER_PRIORITY) {
    adjusted(
      `nopreempt is ignored in ${where}: an address owner (priority 255) always preempts, as keepalived also decides`,
    );
    nopreempt = null;
  }
  if (state === 'MASTER') {
    if (nopreempt) {
      adjusted(
        `nopreempt is ignored with state MASTER in ${where}, as keepalived ignores it ("nopreempt will not work with initial state MASTER")`,
        'use state BACKUP on every router of a nopreempt virtual router',
      );
      nopreempt = null;
    }
    if (preemptDelayMs > 0) {
      sink.report(
        DiagnosticCodes.adjusted,
        draft.preemptDelayAt ?? draft.source,
        `preempt_delay is ignored with state MASTER in ${where}, as keepalived ignores it`,
        undefined,
        KEEPALIVED_REPORTS,
      );
      preemptDelayMs = 0;
    }
  }
  if (preemptDelayMs > 0 && strict) {
    adjustedForStrict(strict, draft.preemptDelayAt ?? draft.source, 'preempt_delay', 'it is ignored');
    preemptDelayMs = 0;
  }
  if (preemptDelayMs > 0 && nopreempt) {
    sink.report(
      DiagnosticCodes.adjusted,
      draft.preemptDelayAt ?? nopreempt,
      `preempt_delay is ignored with nopreempt in ${where}, as keepalived ignores it`,
      undefined,
      KEEPALIVED_REPORTS,
    );
    preemptDelayMs = 0;
  }
  return { preempt: nopreempt === null, preemptDelayMs };
}

/** keepalived's default is accept mode on, except in strict mode for a non-owner (RFC 3768 has none). */
function resolveAccept(
  draft: InstanceDraft,
  priority: number,
  version: VrrpVersion,
  strict: StrictContext | null,
): boolean {
  const owner = priority === OWNER_PRIORITY;
  if (draft.accept === null) return owner || strict === null;
  if (draft.accept && !owner && strict && version === 2) {
    adjustedForStrict(
      strict,
      draft.acceptAt ?? draft.source,
      'accept mode with VRRPv2 (RFC 3768 has none)',
      'accept mode is off',
    );
    return false;
  }
  return draft.accept;
}
