// VrrpdConfig → keepalived.conf text that parses back to the same model (sources aside). Every value
// is written explicitly, inherited ones included, so the text does not depend on defaults; this is
// what the round-trip test relies on to prove the parser reads back everything it resolved.

import type {
  FifoSpec,
  GarpSettings,
  InstanceModel,
  NotifyScripts,
  RouteMetricsSpec,
  RouteSpec,
  RuleSpec,
  ScriptSpec,
  SyncGroupModel,
  TrackedInterface,
  ProcessTrackModel,
  RouteEncapSpec,
  BfdInstanceModel,
  TrackFileModel,
  TrackReference,
  UplinkGroupDecl,
  VipSpec,
  VrrpdConfig,
  VrrpScriptModel,
} from '../model/types.js';

const BARE_WORD = /^[A-Za-z0-9_./:@%+=,^~-]+$/;

/**
 * A word the lexer reads back unchanged: bare when safe, otherwise double-quoted with `\` and `"`
 * escaped, and control characters and `$` (which parameter substitution would touch) as octal escapes.
 */
export function quoteWord(text: string): string {
  // '@…', '~…' and include words would be read as directives when they start a line.
  const directiveLike = /^[@~]/.test(text) || /^include[rmwba]?$/.test(text);
  if (text !== '' && BARE_WORD.test(text) && !directiveLike) return text;
  let quoted = '"';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch === '\\' || ch === '"') quoted += `\\${ch}`;
    // Three-digit octal: \x would swallow following hex digits ("\x24a" is 0x4a to keepalived).
    else if (ch === '$' || code < 0x20 || code === 0x7f) quoted += `\\${code.toString(8).padStart(3, '0')}`;
    // A raw byte (not UTF-8 in the file) is written back as that byte's escape.
    else if (ch.length === 1 && code >= 0xdc80 && code <= 0xdcff)
      quoted += `\\${(code - 0xdc00).toString(8).padStart(3, '0')}`;
    else quoted += ch;
  }
  return `${quoted}"`;
}

function seconds(milliseconds: number): string {
  return trimDecimal(milliseconds / 1000, 3);
}

function trimDecimal(value: number, digits: number): string {
  return value.toFixed(digits).replace(/\.?0+$/, '');
}

class Writer {
  private readonly lines: string[] = [];
  private depth = 0;

  line(...words: Array<string | null | undefined | false>): void {
    const text = words.filter((w): w is string => typeof w === 'string' && w !== '').join(' ');
    this.lines.push(`${'  '.repeat(this.depth)}${text}`);
  }

  block(header: string, body: () => void): void {
    this.line(header, '{');
    this.depth++;
    body();
    this.depth--;
    this.line('}');
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

function scriptLine(w: Writer, keyword: string, spec: ScriptSpec | null): void {
  if (!spec) return;
  w.line(
    keyword,
    quoteWord(spec.command),
    spec.user && quoteWord(spec.user),
    spec.user && spec.group && quoteWord(spec.group),
  );
}

function fifoLine(w: Writer, keyword: string, fifo: FifoSpec | null): void {
  if (!fifo) return;
  w.line(
    keyword,
    quoteWord(fifo.path),
    fifo.user && quoteWord(fifo.user),
    fifo.user && fifo.group && quoteWord(fifo.group),
  );
}

function writeGlobals(w: Writer, config: VrrpdConfig): void {
  const g = config.globals;
  w.block('global_defs', () => {
    if (g.routerId !== null) w.line('router_id', quoteWord(g.routerId));
    if (g.enableScriptSecurity) w.line('enable_script_security');
    if (g.scriptUser)
      w.line(
        'script_user',
        quoteWord(g.scriptUser.user),
        g.scriptUser.group && quoteWord(g.scriptUser.group),
      );
    w.line('vrrp_version', String(g.vrrpVersion));
    writeGarp(w, 'vrrp_', g.garp);
    w.line('vrrp_garp_interval', trimDecimal(g.garp.intervalUs / 1_000_000, 6) || '0');
    if (g.vmacPrefix !== null) w.line('vmac_prefix', g.vmacPrefix);
    if (g.vmacAddrPrefix !== null) w.line('vmac_addr_prefix', g.vmacAddrPrefix);
    if (g.gnaIntervalUs > 0) w.line('vrrp_gna_interval', trimDecimal(g.gnaIntervalUs / 1_000_000, 6));
    w.line('vrrp_startup_delay', seconds(g.startupDelayMs) || '0');
    w.line('vrrp_down_timer_adverts', String(g.downTimerAdverts));
    w.line('vrrp_mcast_group4', g.mcastGroup4);
    w.line('vrrp_mcast_group6', g.mcastGroup6);
    w.line('vrrp_skip_check_adv_addr', g.skipCheckAdvAddr ? 'on' : 'off');
    if (g.checkUnicastSrc) w.line('vrrp_check_unicast_src');
    if (g.notifyPriorityChanges) w.line('vrrp_notify_priority_changes');
    fifoLine(w, 'notify_fifo', g.notifyFifo);
    fifoLine(w, 'vrrp_notify_fifo', g.vrrpNotifyFifo);
    scriptLine(w, 'notify_fifo_script', g.notifyFifoScript);
    scriptLine(w, 'vrrp_notify_fifo_script', g.vrrpNotifyFifoScript);
    if (g.processPriority !== null) w.line('vrrp_priority', String(g.processPriority));
    if (g.noSwap) w.line('vrrp_no_swap');
    if (g.disableLocalIgmp) w.line('disable_local_igmp');
    if (g.realtimePriority !== null) w.line('vrrp_rt_priority', String(g.realtimePriority));
    if (g.maxAutoPriority !== null) w.line('max_auto_priority', String(g.maxAutoPriority));
    if (g.vrrpStrict) w.line('vrrp_strict');
    if (g.dynamicInterfaces) w.line('dynamic_interfaces');
    scriptLine(w, 'startup_script', g.startupScript);
    w.line('startup_script_timeout', seconds(g.startupScriptTimeoutMs));
    scriptLine(w, 'shutdown_script', g.shutdownScript);
    w.line('shutdown_script_timeout', seconds(g.shutdownScriptTimeoutMs));
  });
}

function writeGarp(w: Writer, prefix: string, garp: GarpSettings): void {
  w.line(`${prefix}garp_master_delay`, seconds(garp.masterDelayMs) || '0');
  w.line(`${prefix}garp_master_repeat`, String(garp.masterRepeat));
  w.line(`${prefix}garp_master_refresh`, seconds(garp.masterRefreshMs) || '0');
  w.line(`${prefix}garp_master_refresh_repeat`, String(garp.masterRefreshRepeat));
}

function vipLine(w: Writer, vip: VipSpec, trackGroup: string | null = null): void {
  w.line(
    `${vip.address}/${vip.prefix}`,
    vip.broadcast !== null && `brd ${vip.broadcast}`,
    vip.dev !== null && `dev ${quoteWord(vip.dev)}`,
    vip.scope !== null && `scope ${vip.scope}`,
    vip.label !== null && `label ${quoteWord(vip.label)}`,
    vip.noTrack && 'no_track',
    vip.useVmac === true && 'use_vmac',
    vip.peer !== undefined && `peer ${vip.peer}`,
    vip.homeAddress === true && 'home',
    vip.dad === true && '-nodad',
    vip.manageTempAddress === true && 'mngtmpaddr',
    vip.noPrefixRoute === true && 'noprefixroute',
    vip.autoJoin === true && 'autojoin',
    vip.family === 'ipv6' && `preferred_lft ${vip.preferredLifetime ?? 'forever'}`,
    trackGroup !== null && `track_group ${quoteWord(trackGroup)}`,
  );
}

/** The keyword of each metric on a route line. */
const METRIC_WORDS: Record<keyof RouteMetricsSpec, string> = {
  mtu: 'mtu',
  window: 'window',
  rtt: 'rtt',
  rttvar: 'rttvar',
  ssthresh: 'ssthresh',
  cwnd: 'cwnd',
  advmss: 'advmss',
  reordering: 'reordering',
  hoplimit: 'hoplimit',
  initcwnd: 'initcwnd',
  features: 'features',
  rtoMin: 'rto_min',
  initrwnd: 'initrwnd',
  quickack: 'quickack',
  congctl: 'congctl',
  fastopenNoCookie: 'fastopen_no_cookie',
  lock: 'lock',
};

function metricWords(metrics: RouteMetricsSpec | undefined): string[] {
  if (!metrics) return [];
  const words: string[] = [];
  for (const [key, value] of Object.entries(metrics) as Array<[keyof RouteMetricsSpec, unknown]>) {
    if (key === 'lock' || value === undefined) continue;
    const locked = metrics.lock?.includes(key) ? ' lock' : '';
    words.push(key === 'features' ? 'features ecn' : `${METRIC_WORDS[key]}${locked} ${String(value)}`);
  }
  return words;
}

function encapWords(encap: RouteEncapSpec): string {
  if (encap.type === 'mpls') return `encap mpls ${encap.labels.join('/')}`;
  if (encap.type === 'ila') return `encap ila ${encap.locator}`;
  const [ds, ttl] = encap.type === 'ip' ? ['tos', 'ttl'] : ['tc', 'hoplimit'];
  return [
    `encap ${encap.type}`,
    encap.id !== null && `id ${encap.id}`,
    encap.dst !== null && `dst ${encap.dst}`,
    encap.src !== null && `src ${encap.src}`,
    encap.dsfield !== null && `${ds} ${encap.dsfield}`,
    encap.ttl !== null && `${ttl} ${encap.ttl}`,
    encap.flags !== null && `flags ${encap.flags}`,
  ]
    .filter((part) => part !== false)
    .join(' ');
}

function routeLine(w: Writer, route: RouteSpec): void {
  w.line(
    route.type !== 'unicast' && route.type,
    route.to,
    route.src !== null && `src ${route.src}`,
    route.via !== null && `via ${route.via}`,
    route.dev !== null && `dev ${quoteWord(route.dev)}`,
    route.vrf?.tableWins === true && `vrf ${quoteWord(route.vrf.name)}`,
    route.table !== null && `table ${route.table}`,
    route.vrf?.tableWins === false && `vrf ${quoteWord(route.vrf.name)}`,
    route.metric !== null && `metric ${route.metric}`,
    route.scope !== null && `scope ${route.scope}`,
    route.protocol !== null && `protocol ${route.protocol}`,
    route.onlink && 'onlink',
    route.noTrack && 'no_track',
    route.mode !== 'prepend' && route.mode,
    route.trackGroup !== null && `track_group ${quoteWord(route.trackGroup)}`,
    route.tos !== undefined && `tos ${route.tos}`,
    ...metricWords(route.metrics),
    route.realms !== undefined && `realms ${route.realms >>> 16}/${route.realms & 0xffff}`,
    route.pref !== undefined && `pref ${route.pref}`,
    route.expires !== undefined && `expires ${route.expires}`,
    route.encap !== undefined && encapWords(route.encap),
    ...(route.nexthops ?? []).map((n) =>
      [
        'nexthop',
        n.via !== null && `via ${n.via}`,
        n.dev !== null && `dev ${quoteWord(n.dev)}`,
        n.weight !== null && `weight ${n.weight}`,
        n.onlink && 'onlink',
        n.encap !== undefined && encapWords(n.encap),
        n.realms !== undefined && `realms ${n.realms >>> 16}/${n.realms & 0xffff}`,
      ]
        .filter((part) => part !== false)
        .join(' '),
    ),
  );
}

function ruleLine(w: Writer, rule: RuleSpec, trackGroup: string | null = null): void {
  const range = (r: { start: number; end: number } | null) => (r ? `${r.start}-${r.end}` : '');
  w.line(
    trackGroup !== null && `track_group ${quoteWord(trackGroup)}`,
    rule.invert && 'not',
    rule.from !== null && `from ${rule.from}`,
    rule.to !== null && `to ${rule.to}`,
    rule.table !== null && `table ${rule.table}`,
    rule.l3mdev && 'l3mdev',
    rule.action === 'goto' && `goto ${rule.gotoTarget}`,
    rule.action !== 'table' && rule.action !== 'goto' && rule.action,
    rule.tos !== null && `tos ${rule.tos}`,
    rule.fwmark !== null && `fwmark ${rule.fwmark}${rule.fwmask !== null ? `/${rule.fwmask}` : ''}`,
    rule.priority !== null && `priority ${rule.priority}`,
    rule.iif !== null && `iif ${quoteWord(rule.iif)}`,
    rule.oif !== null && `oif ${quoteWord(rule.oif)}`,
    rule.realms !== null && `realms ${rule.realms >>> 16}/${rule.realms & 0xffff}`,
    rule.suppressPrefixLength !== null && `suppress_prefixlength ${rule.suppressPrefixLength}`,
    rule.suppressIfgroup !== null && `suppress_ifgroup ${rule.suppressIfgroup}`,
    rule.tunnelId !== null && `tunnel-id ${rule.tunnelId}`,
    rule.uidRange !== null && `uidrange ${range(rule.uidRange)}`,
    rule.protocol !== null && (rule.noTrack || rule.protocol !== 18) && `protocol ${rule.protocol}`,
    rule.ipProto !== null && `ipproto ${rule.ipProto}`,
    rule.sport !== null && `sport ${range(rule.sport)}`,
    rule.dport !== null && `dport ${range(rule.dport)}`,
    rule.noTrack && 'no_track',
    rule.family === 'ipv6' && 'inet6',
  );
}

/** The track_* lists an instance and a sync group both hold. */
interface TrackListsModel {
  trackInterfaces: readonly TrackedInterface[];
  trackScripts: readonly TrackReference[];
  trackFiles: readonly TrackReference[];
  trackProcesses: readonly TrackReference[];
  trackBfds: readonly TrackReference[];
}

function trackBlocks(w: Writer, lists: TrackListsModel): void {
  if (lists.trackInterfaces.length > 0) {
    w.block('track_interface', () => {
      for (const t of lists.trackInterfaces)
        w.line(quoteWord(t.name), `weight ${t.weight}`, t.reverse && 'reverse');
    });
  }
  for (const [keyword, references] of [
    ['track_script', lists.trackScripts],
    ['track_file', lists.trackFiles],
    ['track_process', lists.trackProcesses],
    ['track_bfd', lists.trackBfds],
  ] as const) {
    if (references.length === 0) continue;
    w.block(keyword, () => {
      for (const r of references)
        // keepalived reads reverse/noreverse only after a weight; the model has one with it.
        w.line(
          quoteWord(r.name),
          r.weight !== null && `weight ${r.weight}`,
          r.weight !== null && r.reverse !== null && (r.reverse ? 'reverse' : 'noreverse'),
        );
    });
  }
}

function notifyLines(w: Writer, notify: NotifyScripts): void {
  scriptLine(w, 'notify_master', notify.master);
  scriptLine(w, 'notify_backup', notify.backup);
  scriptLine(w, 'notify_fault', notify.fault);
  scriptLine(w, 'notify_stop', notify.stop);
  scriptLine(w, 'notify', notify.any);
  scriptLine(w, 'notify_master_rx_lower_pri', notify.masterRxLowerPri);
}

function writeInstance(w: Writer, instance: InstanceModel): void {
  w.block(`vrrp_instance ${quoteWord(instance.name)}`, () => {
    w.line('state', instance.state);
    // Before `interface`, where keepalived looks the device up (then clears it).
    if (instance.vrfLookup) w.line('vrf', quoteWord(instance.vrfLookup.name));
    w.line('interface', quoteWord(instance.interface));
    w.line('virtual_router_id', String(instance.vrid));
    w.line('priority', String(instance.priority));
    w.line('version', String(instance.version));
    w.line('advert_int', trimDecimal(instance.advertIntervalCs / 100, 2));
    if (instance.authType !== 'none' && instance.authPass !== null) {
      const pass = instance.authPass;
      const type = instance.authType;
      w.block('authentication', () => {
        w.line('auth_type', type);
        w.line('auth_pass', quoteWord(pass));
      });
    }
    for (const [keyword, vips] of [
      ['virtual_ipaddress', instance.vips],
      ['virtual_ipaddress_excluded', instance.excludedVips],
    ] as const) {
      if (vips.length > 0) w.block(keyword, () => vips.forEach((vip) => vipLine(w, vip)));
    }
    if (instance.virtualRoutes.length > 0)
      w.block('virtual_routes', () => instance.virtualRoutes.forEach((r) => routeLine(w, r)));
    if (instance.virtualRules.length > 0)
      w.block('virtual_rules', () => instance.virtualRules.forEach((r) => ruleLine(w, r)));
    trackBlocks(w, instance);
    if (instance.unicastSrcIp !== null) w.line('unicast_src_ip', instance.unicastSrcIp);
    const peers = instance.unicastPeers;
    if (peers !== null) {
      w.block('unicast_peer', () =>
        peers.forEach((peer) => {
          const ttl = instance.unicastPeerTtl.find((t) => t.address === peer);
          w.line(ttl ? `${peer} min_ttl ${ttl.min} max_ttl ${ttl.max}` : peer);
        }),
      );
      // Without peers keepalived ignores both, and reports them (a multicast instance has neither).
      w.line('unicast_ttl', String(instance.unicastTtl));
      if (instance.checkUnicastSrc) w.line('check_unicast_src');
    }
    if (instance.mcastSrcIp !== null) w.line('mcast_src_ip', instance.mcastSrcIp);
    if (instance.mcastDstIp !== null) w.line('mcast_dst_ip', instance.mcastDstIp);
    if (instance.trackSrcIp) w.line('track_src_ip');
    if (instance.vmac) {
      w.line('use_vmac', instance.vmac.name, instance.vmac.mac);
      if (instance.vmac.xmitBase) w.line('vmac_xmit_base');
    }
    if (instance.useVmacAddr) w.line('use_vmac_addr');
    if (instance.ipvlan) {
      const { name, address, mode } = instance.ipvlan;
      w.line('use_ipvlan', name, address ? `${address.address}/${address.prefix}` : null, mode);
    }
    w.line(instance.preempt ? 'preempt' : 'nopreempt');
    w.line('preempt_delay', seconds(instance.preemptDelayMs) || '0');
    w.line('down_timer_adverts', String(instance.downTimerAdverts));
    if (instance.faultNoPeer) w.line('unicast_fault_no_peer');
    if (instance.oldUnicastChecksum !== 'detect')
      w.line('old_unicast_checksum', instance.oldUnicastChecksum === 'never' && 'never');
    writeGarp(w, '', instance.garp);
    notifyLines(w, instance.notify);
    if (instance.notifyDeleted) {
      if (instance.notify.deleted) scriptLine(w, 'notify_deleted', instance.notify.deleted);
      else w.line('notify_deleted');
    }
    if (instance.smtpAlert) w.line('smtp_alert');
    w.line('notify_priority_changes', instance.notifyPriorityChanges ? 'on' : 'off');
    w.line(instance.accept ? 'accept' : 'no_accept');
    if (instance.dontTrackPrimary) w.line('dont_track_primary');
    w.line('skip_check_adv_addr', instance.skipCheckAdvAddr ? 'on' : 'off');
    // Strict mode's runtime values (no lower-priority answers…) follow from this line.
    w.line('strict_mode', instance.strict ? 'on' : 'off');
  });
}

function writeSyncGroup(w: Writer, group: SyncGroupModel): void {
  w.block(`vrrp_sync_group ${quoteWord(group.name)}`, () => {
    w.block('group', () => group.instances.forEach((name) => w.line(quoteWord(name))));
    trackBlocks(w, group);
    notifyLines(w, group.notify);
    if (group.smtpAlert) w.line('smtp_alert');
    if (group.notifyPriorityChanges !== null)
      w.line('notify_priority_changes', group.notifyPriorityChanges ? 'on' : 'off');
    if (group.trackingWeight) w.line('sync_group_tracking_weight');
  });
}

function writeScript(w: Writer, script: VrrpScriptModel): void {
  w.block(`vrrp_script ${quoteWord(script.name)}`, () => {
    w.line('script', quoteWord(script.script.command));
    w.line('interval', seconds(script.intervalMs));
    w.line('timeout', seconds(script.timeoutMs));
    w.line('weight', String(script.weight), script.weightReverse && 'reverse');
    w.line('rise', String(script.rise));
    w.line('fall', String(script.fall));
    if (script.script.user) {
      w.line('user', quoteWord(script.script.user), script.script.group && quoteWord(script.script.group));
    }
    if (script.initFail) w.line('init_fail');
  });
}

function writeTrackFile(w: Writer, file: TrackFileModel): void {
  w.block(`track_file ${quoteWord(file.name)}`, () => {
    w.line('file', quoteWord(file.path));
    w.line('weight', String(file.weight), file.weightReverse && 'reverse');
    if (file.init) w.line('init_file', String(file.init.value), file.init.overwrite && 'overwrite');
  });
}

function writeUplinkGroup(w: Writer, group: UplinkGroupDecl): void {
  w.block(`uplink_group ${quoteWord(group.name)}`, () => {
    w.line('config', quoteWord(group.configPath));
    if (group.follow) w.line(`follow_${group.follow.kind}`, quoteWord(group.follow.name));
    const policy = group.onLeaveMaster;
    if (policy.kind === 'leave') w.line('on_leave_master', 'leave');
    else
      w.line(
        'on_leave_master',
        'fallback',
        policy.via && `via ${policy.via}`,
        policy.dev && `dev ${policy.dev}`,
      );
  });
}

function writeProcessTrack(w: Writer, track: ProcessTrackModel): void {
  w.block(`vrrp_track_process ${quoteWord(track.name)}`, () => {
    w.line('process', quoteWord(track.process), ...track.params.map(quoteWord));
    if (track.paramMatch === 'partial' || track.paramMatch === 'initial')
      w.line('param_match', track.paramMatch);
    else if (track.paramMatch === 'exact') w.line('param_match');
    if (track.fullCommand) w.line('full_command');
    w.line('weight', String(track.weight), track.weightReverse && 'reverse');
    if (track.quorumMax !== null) w.line('quorum_max', String(track.quorumMax));
    if (track.quorum > 0) w.line('quorum', String(track.quorum));
    if (track.forkDelayMs > 0) w.line('fork_delay', seconds(track.forkDelayMs));
    if (track.terminateDelayMs > 0) w.line('terminate_delay', seconds(track.terminateDelayMs));
  });
}

function writeBfdInstance(w: Writer, bfd: BfdInstanceModel): void {
  const ms = (us: number): string => String(us / 1000);
  w.block(`bfd_instance ${quoteWord(bfd.name)}`, () => {
    if (bfd.neighbor !== null) w.line('neighbor_ip', bfd.neighbor);
    if (bfd.sourceAddress !== null) w.line('source_ip', bfd.sourceAddress);
    w.line('min_rx', ms(bfd.minRxUs));
    w.line('min_tx', ms(bfd.minTxUs));
    w.line('idle_tx', ms(bfd.idleTxUs));
    w.line('multiplier', String(bfd.multiplier));
    if (bfd.passive) w.line('passive');
    w.line('ttl', String(bfd.ttl));
    w.line('max_hops', String(bfd.maxHops));
    w.line('weight', String(bfd.weight), bfd.weightReverse && 'reverse');
    if (!bfd.vrrp) w.line('checker');
  });
}

function writeStatics(w: Writer, config: VrrpdConfig): void {
  for (const group of config.trackGroups) {
    w.block(`track_group ${quoteWord(group.name)}`, () =>
      w.block('group', () => group.instances.forEach((name) => w.line(quoteWord(name)))),
    );
  }
  const { addresses, routes, rules } = config.statics;
  if (addresses.length > 0)
    w.block('static_ipaddress', () => addresses.forEach((a) => vipLine(w, a, a.trackGroup)));
  if (routes.length > 0) w.block('static_routes', () => routes.forEach((r) => routeLine(w, r)));
  if (rules.length > 0) w.block('static_rules', () => rules.forEach((r) => ruleLine(w, r, r.trackGroup)));
}

export function modelToConfigText(config: VrrpdConfig): string {
  const w = new Writer();
  w.line('# Generated by vrrpd from the resolved configuration model.');
  if (config.globals.netNamespace) w.line('net_namespace', quoteWord(config.globals.netNamespace.name));
  writeGlobals(w, config);
  config.scripts.forEach((script) => writeScript(w, script));
  config.trackFiles.forEach((file) => writeTrackFile(w, file));
  config.processTracks.forEach((track) => writeProcessTrack(w, track));
  config.bfdInstances.forEach((bfd) => writeBfdInstance(w, bfd));
  config.instances.forEach((instance) => writeInstance(w, instance));
  config.syncGroups.forEach((group) => writeSyncGroup(w, group));
  config.uplinkGroups.forEach((group) => writeUplinkGroup(w, group));
  writeStatics(w, config);
  return w.toString();
}
