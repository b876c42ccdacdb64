// Draft → InstanceModel: inherits global defaults, settles the address family and version, converts
// the advert interval for that version, and reports what can only be judged with the whole block in
// view. keepalived's own adjustments (rounding, truncation, MASTER ⇒ priority 255, v3 ignoring
// authentication) are reproduced — with a warning, because keepalived makes them quietly.

import type { VrrpVersion } from '../../packet/types.js';
import { V2_MAX_ADVERT_INTERVAL_S, V3_MAX_ADVERT_INTERVAL_CS } from '../../packet/vrrp.js';
import { OWNER_PRIORITY, type InitialState } from '../../vrrp/types.js';
import { familyLabel } from '../values/address.js';
import type { DiagnosticSink, SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type { InstanceDraft } from '../keywords/drafts.js';
import type { AddressFamily, GlobalDefs, InstanceModel, VipSpec } from '../model/types.js';
import { KEEPALIVED_DEFAULTS } from '../model/defaults.js';

export function finishInstance(
  draft: InstanceDraft,
  globals: GlobalDefs,
  sink: DiagnosticSink,
): InstanceModel | null {
  const where = `vrrp_instance ${draft.name}`;
  if (!draft.interface && !draft.written.has('interface')) {
    sink.report(
      DiagnosticCodes.missing,
      draft.source,
      `${where} has no 'interface'`,
      'add: interface <IFNAME> (vrrpd needs it even in unicast mode)',
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
  const family = resolveFamily(draft, where, sink);
  const version = resolveVersion(draft, globals, family, where, sink);
  const advertIntervalCs = resolveAdvertInterval(draft, version, sink);
  const state = draft.state?.value ?? 'BACKUP';
  const priority = resolvePriority(draft, state, where, sink);
  const auth = resolveAuthentication(draft, version, where, sink);
  const unicastPeers = resolveUnicastPeers(draft, family, where, sink);
  const preempt = resolvePreempt(draft, state, priority, where, sink);
  checkVips(draft, where, sink);
  if (!draft.interface || !draft.vrid || advertIntervalCs === null) return null;
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
    vips: draft.vips,
    excludedVips: draft.excludedVips,
    virtualRoutes: draft.virtualRoutes,
    virtualRules: draft.virtualRules,
    trackInterfaces: draft.trackInterfaces,
    trackScripts: draft.trackScripts,
    trackFiles: draft.trackFiles,
    unicastSrcIp: draft.unicastSrcIp?.address ?? null,
    unicastPeers,
    unicastTtl: draft.unicastTtl,
    checkUnicastSrc: draft.checkUnicastSrc ?? globals.checkUnicastSrc,
    mcastSrcIp: draft.mcastSrcIp?.address ?? null,
    preempt,
    preemptDelayMs: draft.preemptDelayMs,
    garp: { ...globals.garp, ...draft.garp },
    notify: draft.notify,
    smtpAlert: draft.smtpAlert,
    accept: draft.accept ?? true,
    dontTrackPrimary: draft.dontTrackPrimary,
    skipCheckAdvAddr: draft.skipCheckAdvAddr ?? globals.skipCheckAdvAddr,
    source: draft.source,
  };
}

/** The first VIP decides (keepalived: all virtual_ipaddress entries share it); else the unicast/mcast addresses. */
function resolveFamily(draft: InstanceDraft, where: string, sink: DiagnosticSink): AddressFamily {
  const family =
    draft.vips[0]?.family ??
    draft.unicastSrcIp?.family ??
    draft.unicastPeers[0]?.family ??
    draft.mcastSrcIp?.family ??
    'ipv4';
  for (const vip of draft.vips) {
    if (vip.family !== family) {
      sink.report(
        DiagnosticCodes.conflict,
        vip.source,
        `virtual_ipaddress ${vip.address} is ${familyLabel(vip.family)} but ${where} is ${familyLabel(family)}`,
        'an instance advertises one family; put the others in virtual_ipaddress_excluded or in another instance',
      );
    }
  }
  const singles = [
    { label: 'unicast_src_ip', value: draft.unicastSrcIp },
    { label: 'mcast_src_ip', value: draft.mcastSrcIp },
    ...draft.unicastPeers.map((peer) => ({ label: 'unicast_peer', value: peer })),
  ];
  for (const { label, value } of singles) {
    if (value && value.family !== family) {
      sink.report(
        DiagnosticCodes.conflict,
        value.source,
        `${label} ${value.address} is ${familyLabel(value.family)} but ${where} is ${familyLabel(family)}`,
      );
    }
  }
  return family;
}

function resolveVersion(
  draft: InstanceDraft,
  globals: GlobalDefs,
  family: AddressFamily,
  where: string,
  sink: DiagnosticSink,
): VrrpVersion {
  if (family === 'ipv6') {
    if (draft.version?.value === 2) {
      sink.report(
        DiagnosticCodes.conflict,
        draft.version.source,
        `${where} is IPv6, which needs VRRP version 3 (RFC 5798), but 'version 2' is set`,
        'remove the version line or set version 3',
      );
    }
    return 3;
  }
  return draft.version?.value ?? globals.vrrpVersion;
}

function resolveAdvertInterval(
  draft: InstanceDraft,
  version: VrrpVersion,
  sink: DiagnosticSink,
): number | null {
  const given = draft.advertSeconds;
  if (!given) return KEEPALIVED_DEFAULTS.advertIntervalCs;
  const seconds = given.value;
  if (version === 2) {
    const whole = Math.round(seconds);
    if (whole < 1 || whole > V2_MAX_ADVERT_INTERVAL_S) {
      sink.report(
        DiagnosticCodes.value,
        given.source,
        `advert_int ${seconds} is out of range for VRRPv2 (1-${V2_MAX_ADVERT_INTERVAL_S} seconds)`,
        'sub-second intervals need version 3',
      );
      return null;
    }
    if (whole !== seconds) {
      sink.report(
        DiagnosticCodes.adjusted,
        given.source,
        `advert_int ${seconds} is rounded to ${whole} seconds: VRRPv2 adverts carry whole seconds`,
        'keepalived rounds it the same way; write a whole number, or use version 3 for fractions',
      );
    }
    return whole * 100;
  }
  const centiseconds = Math.round(seconds * 100);
  if (centiseconds < 1 || centiseconds > V3_MAX_ADVERT_INTERVAL_CS) {
    sink.report(
      DiagnosticCodes.value,
      given.source,
      `advert_int ${seconds} is out of range for VRRPv3 (0.01-40.95 seconds)`,
    );
    return null;
  }
  if (Math.abs(centiseconds - seconds * 100) > 1e-6) {
    sink.report(
      DiagnosticCodes.adjusted,
      given.source,
      `advert_int ${seconds} is rounded to ${centiseconds / 100} seconds: VRRPv3 adverts carry centiseconds`,
      'keepalived rounds it the same way',
    );
  }
  return centiseconds;
}

function resolvePriority(
  draft: InstanceDraft,
  state: InitialState,
  where: string,
  sink: DiagnosticSink,
): number {
  if (draft.priority) return draft.priority.value;
  if (state === 'MASTER' && draft.state) {
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

function resolveAuthentication(
  draft: InstanceDraft,
  version: VrrpVersion,
  where: string,
  sink: DiagnosticSink,
): { type: 'none' | 'PASS'; pass: string | null } {
  if (!draft.authBlock) return { type: 'none', pass: null };
  if (version === 3) {
    sink.report(
      DiagnosticCodes.adjusted,
      draft.authBlock,
      `authentication is ignored in ${where}: VRRPv3 has none (RFC 5798), as keepalived also ignores it`,
      'remove the authentication block, or use version 2 if the peers expect a password',
    );
    return { type: 'none', pass: null };
  }
  if (draft.authType && !draft.authPass) {
    sink.report(
      DiagnosticCodes.missing,
      draft.authType.source,
      `auth_type PASS in ${where} needs an auth_pass`,
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
  return { type: 'PASS', pass: draft.authPass?.value ?? null };
}

function resolveUnicastPeers(
  draft: InstanceDraft,
  family: AddressFamily,
  where: string,
  sink: DiagnosticSink,
): string[] | null {
  if (draft.unicastPeerBlocks.length === 0) {
    if (draft.unicastSrcIp) {
      sink.report(
        DiagnosticCodes.suspicious,
        draft.unicastSrcIp.source,
        `unicast_src_ip has no effect in ${where} without unicast_peer: adverts are multicast`,
        'add a unicast_peer { … } block, or use mcast_src_ip',
      );
    }
    return null;
  }
  const peers: string[] = [];
  for (const peer of draft.unicastPeers) {
    if (peer.family !== family) continue; // reported by resolveFamily
    if (peers.includes(peer.address)) {
      sink.report(
        DiagnosticCodes.suspicious,
        peer.source,
        `unicast_peer ${peer.address} is listed twice in ${where}`,
      );
      continue;
    }
    if (draft.unicastSrcIp && peer.address === draft.unicastSrcIp.address) {
      sink.report(
        DiagnosticCodes.suspicious,
        peer.source,
        `unicast_peer ${peer.address} is this router's own unicast_src_ip`,
        'list the other routers here, not this one',
      );
    }
    peers.push(peer.address);
  }
  if (draft.unicastPeers.length === 0) {
    sink.report(
      DiagnosticCodes.missing,
      draft.unicastPeerBlocks[0] as SourceRef,
      `unicast_peer block of ${where} is empty`,
      'list the other routers’ addresses, or remove the block to use multicast (keepalived would fall back to multicast)',
    );
  }
  return peers;
}

function resolvePreempt(
  draft: InstanceDraft,
  state: InitialState,
  priority: number,
  where: string,
  sink: DiagnosticSink,
): boolean {
  if (!draft.nopreempt) return true;
  if (priority === OWNER_PRIORITY) {
    sink.report(
      DiagnosticCodes.adjusted,
      draft.nopreempt,
      `nopreempt is ignored in ${where}: an address owner (priority 255) always preempts, as keepalived also decides`,
    );
    return true;
  }
  if (state === 'MASTER') {
    sink.report(
      DiagnosticCodes.suspicious,
      draft.nopreempt,
      `nopreempt has no effect with state MASTER in ${where}`,
      'use state BACKUP on every router of a nopreempt virtual router',
    );
  }
  return false;
}

function checkVips(draft: InstanceDraft, where: string, sink: DiagnosticSink): void {
  if (draft.vips.length === 0) {
    sink.report(
      DiagnosticCodes.suspicious,
      draft.source,
      `${where} has no virtual_ipaddress: it will elect a master but move no address`,
    );
  }
  const seen = new Map<string, VipSpec>();
  for (const vip of [...draft.vips, ...draft.excludedVips]) {
    const previous = seen.get(vip.address);
    if (previous) {
      sink.report(
        DiagnosticCodes.conflict,
        vip.source,
        `virtual address ${vip.address} is listed twice in ${where} (first at line ${previous.source.line})`,
      );
    }
    seen.set(vip.address, vip);
    const dev = vip.dev ?? draft.interface?.value;
    if (vip.label !== null && dev && !vip.label.startsWith(dev)) {
      sink.report(
        DiagnosticCodes.value,
        vip.source,
        `label '${vip.label}' must begin with the interface name '${dev}' (e.g. '${dev}:1')`,
        'the kernel rejects other labels',
      );
    }
  }
}
