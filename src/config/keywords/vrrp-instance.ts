// vrrp_instance NAME { … }: one virtual router on one interface (RFC 3768 / RFC 5798).
// Cross-field rules (family, version-dependent advert interval, inherited defaults) are applied
// when the block is finished, in finish/instance.ts.

import type { ConfigWord } from '../language/block-tree.js';
import { DiagnosticCodes, keepalivedReportsIf } from '../report/diagnostics.js';
import type { InstanceDraft } from './drafts.js';
import type { GarpSettings } from '../model/types.js';
import { didYouMean } from '../report/suggest.js';
import type { BuildContext } from '../values/scalars.js';
import { KEEPALIVED_READS_LEADING_NUMBER } from '../values/scalars.js';
import {
  parseAddress,
  parseInteger,
  parseInterfaceName,
  parseOptionalBoolean,
  parseSeconds,
  parseWholeSeconds,
  refusing,
  reportInvalid,
  within,
} from '../values/scalars.js';
import { strippedAddressWord } from '../values/track-entries.js';
import { MAX_DOWN_TIMER_ADVERTS } from '../../vrrp/instance-config.js';
import { applyKeywords } from './apply.js';
import { AUTHENTICATION_TABLE } from './authentication.js';
import { argument, ignoredKeywords } from './common.js';
import { isLinkLocalMulticast6, isMulticast } from '../values/address.js';
import { parseUseVmacArgs } from '../values/vmac.js';
import { claimFamily, FAMILY_KEYWORDS } from './instance-family.js';
import { parseUseIpvlanArgs } from '../values/ipvlan.js';
import { INSTANCE_LIST_KEYWORDS } from './instance-lists.js';
import { instanceEventNotifyKeywords, notifyKeywords } from './notify.js';
import type { KeywordSpec, KeywordTable } from './types.js';

type I = InstanceDraft;

function garpKeyword(
  name: string,
  field: keyof GarpSettings,
  doc: string,
  defaultValue: string,
  parse: (text: ConfigWord, ctx: BuildContext) => number | null,
): KeywordSpec<I> {
  return {
    name,
    status: 'supported',
    syntax: field.endsWith('Ms') ? '<SECONDS>' : '<COUNT>',
    defaultValue,
    doc,
    arity: [1, 1],
    apply: (node, draft, ctx) => {
      const value = parse(argument(node), ctx);
      if (value !== null) draft.garp[field] = value;
    },
  };
}

const SUPPORTED: KeywordSpec<I>[] = [
  {
    name: 'state',
    status: 'supported',
    syntax: 'MASTER|BACKUP',
    defaultValue: 'BACKUP',
    doc: 'Initial state. MASTER without a priority means priority 255 (address owner), as in keepalived.',
    arity: [1, 1],
    // keepalived keeps MASTER once seen ("state previously set as MASTER - ignoring BACKUP").
    repeat: 'append',
    apply: (node, draft, ctx) => {
      const word = argument(node);
      if (word.text !== 'MASTER' && word.text !== 'BACKUP') {
        const suggestion = didYouMean(word.text, ['MASTER', 'BACKUP']);
        reportInvalid(
          ctx,
          word.source,
          `invalid state '${word.text}' in ${ctx.where}: expected MASTER or BACKUP`,
          suggestion ?? 'use MASTER or BACKUP (upper case)',
          // keepalived: "unknown state, defaulting to BACKUP", even after an earlier MASTER.
          'the instance starts as BACKUP, as keepalived starts it',
        );
        if (ctx.lenient) draft.state = { value: 'BACKUP', source: node.source };
        return;
      }
      if (draft.state) {
        const kept = draft.state.value === 'MASTER' ? 'MASTER' : word.text;
        ctx.sink.report(
          DiagnosticCodes.suspicious,
          node.source,
          `'state' is repeated in ${ctx.where} (first at line ${draft.state.source.line}); ${kept} is used, as keepalived does`,
          'remove the line that should not apply',
          // keepalived reports only a BACKUP after MASTER ("state previously set as MASTER").
          keepalivedReportsIf(draft.state.value === 'MASTER' && word.text === 'BACKUP'),
        );
        if (kept === 'MASTER') {
          draft.state = {
            value: 'MASTER',
            source: draft.state.value === 'MASTER' ? draft.state.source : node.source,
          };
          return;
        }
      }
      draft.state = { value: word.text, source: node.source };
    },
  },
  {
    name: 'interface',
    status: 'supported',
    syntax: '<IFNAME>',
    doc: 'Interface the instance runs on: adverts are sent and received here and VIPs without `dev` go here.',
    arity: [1, 1],
    apply: (node, draft, ctx) => {
      // Likewise: without a usable interface keepalived refuses the configuration ("Unknown interface!").
      const name = parseInterfaceName(argument(node), 'interface', refusing(ctx));
      if (name !== null) draft.interface = { value: name, source: node.source };
    },
  },
  {
    name: 'virtual_router_id',
    status: 'supported',
    syntax: '<1-255>',
    doc: 'VRID, shared by all routers of this virtual router and unique per interface and family.',
    arity: [1, 1],
    apply: (node, draft, ctx) => {
      // keepalived ignores an invalid one and then refuses the configuration ("the virtual
      // router id must be set"): an error here, not a skipped line.
      const vrid = parseInteger(argument(node), 'virtual_router_id', { min: 1, max: 255 }, refusing(ctx));
      if (vrid !== null) draft.vrid = { value: vrid, source: node.source };
    },
  },
  {
    name: 'priority',
    status: 'supported',
    syntax: '<1-255>',
    defaultValue: '100 (255 with state MASTER)',
    doc: 'Election priority; 255 means address owner (RFC 3768 §5.3.4).',
    arity: [1, 1],
    apply: (node, draft, ctx) => {
      const word = argument(node);
      const priority = parseInteger(word, 'priority', { min: 1, max: 255 }, ctx);
      if (priority !== null) draft.priority = { value: priority, source: node.source };
    },
  },
  {
    name: 'advert_int',
    status: 'supported',
    syntax: '<SECONDS>',
    defaultValue: '1',
    doc: 'Advertisement interval. VRRPv2: whole seconds 1-255 (fractions are rounded, as keepalived does); VRRPv3: 0.01-40.95.',
    arity: [1, 1],
    apply: (node, draft, ctx) => {
      const seconds = parseSeconds(
        argument(node),
        'advert_int',
        { min: 0.01, max: 255 },
        ctx,
        KEEPALIVED_READS_LEADING_NUMBER,
      );
      if (seconds !== null) draft.advertSeconds = { value: seconds, source: node.source };
    },
  },
  ...FAMILY_KEYWORDS,
  {
    name: 'authentication',
    status: 'supported',
    syntax: '{ auth_type PASS; auth_pass <PASSWORD> }',
    doc: 'VRRPv2 simple-password authentication (ignored with a warning for VRRPv3).',
    block: true,
    contents: AUTHENTICATION_TABLE,
    apply: (node, draft, ctx) => {
      draft.authBlock = node.source;
      applyKeywords(
        node.children ?? [],
        AUTHENTICATION_TABLE,
        draft,
        within(ctx, `authentication of ${ctx.where}`),
      );
    },
  },
  ...INSTANCE_LIST_KEYWORDS,
  {
    name: 'unicast_src_ip',
    status: 'supported',
    syntax: '<ADDR>',
    defaultValue: 'primary address of the interface',
    doc: 'Source address of unicast adverts.',
    arity: [1, 1],
    apply: (node, draft, ctx) => {
      // keepalived marks the instance unicast before it reads the address.
      draft.unicastConfiguredAt ??= node.source;
      const address = parseAddress(
        strippedAddressWord(argument(node), 'unicast_src_ip', ctx),
        'unicast_src_ip',
        ctx,
      );
      if (!address) return;
      claimFamily(draft, address.family, node.source);
      draft.unicastSrcIp = { ...address, source: node.source };
    },
  },
  {
    name: 'mcast_src_ip',
    status: 'supported',
    syntax: '<ADDR>',
    defaultValue: 'primary address of the interface',
    doc: 'Source address of multicast adverts.',
    arity: [1, 1],
    apply: (node, draft, ctx) => {
      const address = parseAddress(
        strippedAddressWord(argument(node), 'mcast_src_ip', ctx),
        'mcast_src_ip',
        ctx,
      );
      if (!address) return;
      claimFamily(draft, address.family, node.source);
      draft.mcastSrcIp = { ...address, source: node.source };
    },
  },
  {
    name: 'mcast_dst_ip',
    status: 'supported',
    syntax: '<ADDR>',
    defaultValue: 'vrrp_mcast_group4 / vrrp_mcast_group6',
    doc: 'Multicast group the adverts are sent to and received on (IPv4 multicast, or IPv6 link-local multicast ff02::/16). Ignored with unicast peers, as keepalived ignores it.',
    arity: [1, 1],
    apply: (node, draft, ctx) => {
      const word = argument(node);
      const address = parseAddress(word, 'mcast_dst_ip', ctx);
      if (!address) return;
      // keepalived takes the family from it before it checks that it is multicast.
      claimFamily(draft, address.family, node.source);
      const multicast =
        address.family === 'ipv4'
          ? isMulticast(address.address, 'ipv4')
          : isLinkLocalMulticast6(address.address);
      if (!multicast) {
        reportInvalid(
          ctx,
          word.source,
          `mcast_dst_ip ${word.text} is not ${address.family === 'ipv6' ? 'link-local ' : ''}multicast`,
          address.family === 'ipv6' ? 'use an ff02:: group' : 'use a 224.0.0.0/4 group',
          'skipped, as keepalived skips it',
        );
        return;
      }
      draft.mcastDstIp = { ...address, source: node.source };
    },
  },
  {
    name: 'use_vmac',
    status: 'supported',
    syntax: '[<IFNAME>] [<MAC>]',
    defaultValue: 'vrrp.VRID (vmac_prefix), 00:00:5e:00:01:VRID',
    doc: 'Hold the virtual addresses on a macvlan (private mode, as keepalived) carrying the virtual MAC (00:00:5e:00:01:VRID, 00:00:5e:00:02:VRID for IPv6), so clients keep it across failover (RFC 3768 §7.3); GARPs/NAs leave from it, and the advert socket is on it (on the base with vmac_xmit_base); keepalived’s sysctls set and restored; created at start, removed at stop and when a reload drops the instance; a left-over one adopted.',
    arity: [0, 2],
    apply: (node, draft, ctx) => {
      draft.useVmac = { ...parseUseVmacArgs(node.args, ctx), source: node.source };
    },
  },
  {
    name: 'vmac_xmit_base',
    status: 'supported',
    syntax: '',
    doc: 'With use_vmac: adverts are sent and received on the base interface; the addresses stay on the VMAC. Set, with a warning as keepalived sets it, whenever a unicast keyword is written (unicast_peer, even empty; unicast_src_ip; check_unicast_src), peers or not; with one and no interface, use_vmac is cleared instead.',
    apply: (node, draft) => {
      draft.vmacXmitBase = node.source;
    },
  },
  {
    name: 'use_vmac_addr',
    status: 'supported',
    syntax: '',
    doc: 'Also hold the virtual addresses written with `dev OTHER` (or of the other family) on a VMAC of that interface (named with vmac_addr_prefix); `use_vmac` on one address line does the same for that address alone.',
    apply: (node, draft) => {
      draft.useVmacAddr = node.source;
    },
  },
  {
    name: 'use_ipvlan',
    status: 'supported',
    syntax: '[<IFNAME>] [<ADDR>[/<LEN>]] [bridge|private|vepa]',
    defaultValue: 'vrrp.VRID (vmac_prefix), bridge',
    doc: 'An L2 ipvlan of the interface (bridge by default), as keepalived makes it: ADDR (/32 or /128 without LEN) is put on it and is the adverts’ source unless unicast_src_ip/mcast_src_ip names another; the advert socket is on it. The virtual addresses and their GARPs/NAs stay on the interface, where keepalived 2.2.7 keeps them (on the ipvlan only when use_vmac is written too). IPv4 needs ADDR: without it the instance stays in FAULT, as in keepalived. Created at start, removed at stop and when a reload drops the instance; a left-over one adopted.',
    arity: [0, Infinity],
    // keepalived: "use_ipvlan already specified", the second line ignored.
    repeat: 'first-wins',
    apply: (node, draft, ctx) => {
      draft.useIpvlan = { ...parseUseIpvlanArgs(node.args, ctx), source: node.source };
      // keepalived settles the family at the first address it reads, use_ipvlan's included.
      const address = draft.useIpvlan.address;
      if (address) claimFamily(draft, address.family, address.source);
    },
  },
  {
    name: 'track_src_ip',
    status: 'supported',
    syntax: '',
    doc: 'FAULT while the configured source address (unicast_src_ip / mcast_src_ip) is not on the interface; without one it does nothing, as in keepalived.',
    apply: (_node, draft) => {
      draft.trackSrcIp = true;
    },
  },
  {
    name: 'vrf',
    status: 'supported',
    syntax: '<VRF_IF>',
    doc: 'keepalived means it for unicast instances that name no `interface`, but 2.2.7 refuses every such instance ("Unknown interface!"), as vrrpd does. With `interface` it is ignored, with a warning, by both; written before `interface` it is first looked up, so a missing device refuses the file as any missing interface does (not with `dynamic_interfaces`); `lo` and names of 16 bytes or more are ignored.',
    arity: [1, 1],
    apply: (node, draft) => {
      // keepalived keeps the first vrf ("already specified - ignoring"); the draft keeps the last
      // line, which only decides which name the warnings give.
      draft.vrf = {
        value: argument(node).text,
        source: node.source,
        beforeInterface: draft.interface === null,
      };
    },
  },
  {
    name: 'unicast_ttl',
    status: 'supported',
    syntax: '<0-255>',
    defaultValue: '255',
    doc: "TTL (IPv6: hop limit) of this instance's unicast adverts. 0 is sent as 0, as keepalived sends it (vrrpd writes the IPv4 header itself, and gives the IPv6 hop limit with each message): Linux delivers it to a peer on the link, never beyond.",
    arity: [1, 1],
    apply: (node, draft, ctx) => {
      const ttl = parseInteger(argument(node), 'unicast_ttl', { min: 0, max: 255 }, ctx);
      if (ttl !== null) {
        draft.unicastTtl = ttl;
        draft.unicastTtlAt = node.source;
      }
    },
  },
  {
    name: 'check_unicast_src',
    status: 'supported',
    syntax: '',
    defaultValue: 'global vrrp_check_unicast_src',
    doc: 'Accept unicast adverts only from the listed unicast peers.',
    apply: (node, draft) => {
      draft.checkUnicastSrc = true;
      draft.checkUnicastSrcAt = node.source;
      draft.unicastConfiguredAt ??= node.source;
    },
  },
  {
    name: 'old_unicast_checksum',
    status: 'supported',
    syntax: '[never]',
    defaultValue: 'detect',
    doc: 'VRRPv3 over IPv4: checksum with the multicast group (vrrp_mcast_group4) as pseudo-header destination, as keepalived before 1.3.6 did, on send and receive. Without it a unicast instance uses RFC 5798 §5.2.8’s form and switches to the old one (for good, until reload) when a peer’s advert only checks that way, as keepalived does; `never` turns that off. Like the other unicast keywords it asks for unicast peers.',
    arity: [0, 1],
    apply: (node, draft, ctx) => {
      const word = node.args[0];
      if (word !== undefined && word.text !== 'never') {
        reportInvalid(
          ctx,
          word.source,
          `old_unicast_checksum mode '${word.text}' is unknown (only 'never', or nothing)`,
          'write old_unicast_checksum alone for the old checksum, or old_unicast_checksum never',
          'the mode is ignored, as keepalived ignores it',
        );
      }
      draft.oldUnicastChecksum = {
        value: word === undefined ? 'always' : word.text === 'never' ? 'never' : 'detect',
        source: node.source,
      };
    },
  },
  {
    name: 'nopreempt',
    status: 'supported',
    syntax: '',
    doc: 'A higher-priority backup does not take over from a working lower-priority master. Needs state BACKUP.',
    apply: (node, draft) => {
      draft.nopreempt = node.source;
    },
  },
  {
    name: 'preempt',
    status: 'supported',
    syntax: '',
    defaultValue: 'on',
    doc: 'Preemption on (the default; kept for old configurations). Cancels an earlier nopreempt.',
    apply: (_node, draft) => {
      draft.nopreempt = null;
    },
  },
  {
    name: 'preempt_delay',
    status: 'supported',
    syntax: '<0-1000 SECONDS>',
    defaultValue: '0',
    doc: 'Extra delay before preempting a lower-priority master after startup or on seeing one.',
    arity: [1, 1],
    apply: (node, draft, ctx) => {
      const seconds = parseSeconds(
        argument(node),
        'preempt_delay',
        { min: 0, max: 1000 },
        ctx,
        KEEPALIVED_READS_LEADING_NUMBER,
      );
      if (seconds !== null) {
        draft.preemptDelayMs = Math.round(seconds * 1000);
        draft.preemptDelayAt = node.source;
      }
    },
  },
  {
    name: 'down_timer_adverts',
    status: 'supported',
    syntax: '<1-100>',
    defaultValue: 'global vrrp_down_timer_adverts (3)',
    doc: 'Adverts missed before the master is declared down: Master_Down_Interval = N × Master_Adver_Interval + Skew_Time (RFC 5798 §6.1 has N = 3). Strict mode resets it to 3, as keepalived does.',
    arity: [1, 1],
    apply: (node, draft, ctx) => {
      const count = parseInteger(
        argument(node),
        'down_timer_adverts',
        { min: 1, max: MAX_DOWN_TIMER_ADVERTS },
        ctx,
        KEEPALIVED_READS_LEADING_NUMBER,
      );
      if (count !== null) draft.downTimerAdverts = { value: count, source: node.source };
    },
  },
  garpKeyword(
    'garp_master_delay',
    'masterDelayMs',
    'Delay before the second gratuitous ARP burst after becoming MASTER; 0 disables it.',
    'global vrrp_garp_master_delay (5)',
    (word, ctx) => {
      const seconds = parseWholeSeconds(
        word,
        'garp_master_delay',
        { min: 0, max: 1000 },
        ctx,
        KEEPALIVED_READS_LEADING_NUMBER,
      );
      return seconds === null ? null : seconds * 1000;
    },
  ),
  garpKeyword(
    'garp_master_repeat',
    'masterRepeat',
    'Gratuitous ARPs per burst on becoming MASTER.',
    'global vrrp_garp_master_repeat (5)',
    (word, ctx) =>
      parseInteger(word, 'garp_master_repeat', { min: 1, max: 1000 }, ctx, KEEPALIVED_READS_LEADING_NUMBER),
  ),
  garpKeyword(
    'garp_master_refresh',
    'masterRefreshMs',
    'Interval of periodic gratuitous ARP refreshes while MASTER; 0 disables them.',
    'global vrrp_garp_master_refresh (0)',
    (word, ctx) => {
      const seconds = parseWholeSeconds(
        word,
        'garp_master_refresh',
        { min: 0, max: 86400 },
        ctx,
        KEEPALIVED_READS_LEADING_NUMBER,
      );
      return seconds === null ? null : seconds * 1000;
    },
  ),
  garpKeyword(
    'garp_master_refresh_repeat',
    'masterRefreshRepeat',
    'Gratuitous ARPs per periodic refresh.',
    'global vrrp_garp_master_refresh_repeat (1)',
    (word, ctx) =>
      parseInteger(
        word,
        'garp_master_refresh_repeat',
        { min: 1, max: 1000 },
        ctx,
        KEEPALIVED_READS_LEADING_NUMBER,
      ),
  ),
  ...notifyKeywords<I>(),
  {
    name: 'accept',
    status: 'supported',
    syntax: '',
    defaultValue: 'on',
    doc: 'Accept mode (RFC 5798 §6.1): a non-owner MASTER accepts packets addressed to the VIPs.',
    apply: (node, draft) => {
      draft.accept = true;
      draft.acceptAt = node.source;
    },
  },
  {
    name: 'no_accept',
    status: 'supported',
    syntax: '',
    doc: 'A non-owner MASTER drops packets addressed to the VIPs (RFC 5798 §6.1 default).',
    apply: (node, draft) => {
      draft.accept = false;
      draft.acceptAt = node.source;
    },
  },
  {
    name: 'dont_track_primary',
    status: 'supported',
    syntax: '',
    doc: 'Ignore link faults of the instance’s own interface.',
    apply: (_node, draft) => {
      draft.dontTrackPrimary = true;
    },
  },
  {
    name: 'skip_check_adv_addr',
    status: 'supported',
    syntax: '[on|off]',
    defaultValue: 'global vrrp_skip_check_adv_addr',
    doc: 'Skip checking the address list of adverts from the current master.',
    arity: [0, 1],
    apply: (node, draft, ctx) => {
      draft.skipCheckAdvAddr =
        parseOptionalBoolean(node.args[0], 'skip_check_adv_addr', ctx) ?? draft.skipCheckAdvAddr;
    },
  },
  {
    name: 'strict_mode',
    status: 'supported',
    syntax: '[on|off]',
    defaultValue: 'global vrrp_strict',
    doc: "keepalived's strict RFC mode for this instance, applied as keepalived applies it: authentication dropped, state MASTER only for priority 255, accept mode off unless owner (and for VRRPv2), preempt_delay dropped, no advert or gratuitous ARP in answer to a lower priority, none before yielding to a higher one; a virtual_ipaddress is required.",
    arity: [0, 1],
    apply: (node, draft, ctx) => {
      const value = parseOptionalBoolean(node.args[0], 'strict_mode', ctx);
      if (value !== null) draft.strictMode = { value, source: node.source };
    },
  },
  {
    name: 'notify_priority_changes',
    status: 'supported',
    syntax: '[on|off]',
    defaultValue: "the sync group's, else vrrp_notify_priority_changes",
    doc: 'Each change of the effective priority (trackers, `vrrpctl demote`) writes `INSTANCE "NAME" MASTER_PRIORITY N` (or `BACKUP_PRIORITY N` when not MASTER) to notify_fifo and vrrp_notify_fifo, as keepalived does.',
    arity: [0, 1],
    apply: (node, draft, ctx) => {
      draft.notifyPriorityChanges =
        parseOptionalBoolean(node.args[0], 'notify_priority_changes', ctx) ?? draft.notifyPriorityChanges;
    },
  },
  {
    name: 'unicast_fault_no_peer',
    status: 'supported',
    syntax: '',
    doc: 'Without any unicast peer (an empty unicast_peer block, or none) the instance is held in FAULT, as keepalived ≥ 2.2.5 holds it, rather than falling back to multicast.',
    apply: (node, draft) => {
      draft.unicastFaultNoPeer = node.source;
      draft.unicastConfiguredAt ??= node.source;
    },
  },
  {
    name: 'smtp_alert',
    status: 'ignored',
    syntax: '[on|off]',
    doc: 'vrrpd sends no e-mail (the setting is kept in the dump)',
    hint: 'use a notify script or the notify FIFO to send alerts',
    apply: (node, draft, ctx) => {
      draft.smtpAlert = parseOptionalBoolean(node.args[0], 'smtp_alert', ctx) ?? draft.smtpAlert;
    },
  },
];

/**
 * Ignored keywords whose written value strict mode forbids: keepalived resets it and reports it
 * (vrrp_complete_instance, "Strict mode requires …"), so finishInstance does the same in strict
 * mode. Each test says whether the words after the keyword conflict with strict mode.
 */
const STRICT_CONFLICTS: Readonly<Record<string, (args: readonly string[]) => boolean>> = {
  garp_lower_prio_repeat: (args) => args[0] !== undefined && Number(args[0]) !== 0,
  garp_lower_prio_delay: (args) => args[0] !== undefined && Number(args[0]) !== 0,
  // Without a word keepalived reads "on", which strict mode wants for lower_prio_no_advert.
  lower_prio_no_advert: (args) => args[0] !== undefined && ['off', 'false', 'no'].includes(args[0]),
  higher_prio_send_advert: (args) => args[0] === undefined || ['on', 'true', 'yes'].includes(args[0]),
};

function recordingStrictConflicts(specs: KeywordSpec<I>[]): KeywordSpec<I>[] {
  return specs.map((spec) => {
    const conflicts = STRICT_CONFLICTS[spec.name];
    if (!conflicts) return spec;
    return {
      ...spec,
      apply: (node, draft) => {
        const args = node.args.map((word) => word.text);
        if (conflicts(args))
          draft.strictConflicts.push({ at: node.source, what: [spec.name, ...args].join(' ') });
      },
    };
  });
}

export const VRRP_INSTANCE_TABLE: KeywordTable<I> = {
  block: 'vrrp_instance',
  keywords: [
    ...SUPPORTED,
    ...recordingStrictConflicts([
      ...ignoredKeywords<I>(
        ['higher_prio_send_advert'],
        'always on in vrrpd: a MASTER that yields sends one advert so the winner re-announces itself with gratuitous ARP (keepalived #166)',
      ),
      ...ignoredKeywords<I>(
        [
          'garp_lower_prio_delay',
          'garp_lower_prio_repeat',
          'garp_extra_if',
          'lower_prio_no_advert',
          'kernel_rx_buf_size',
          'debug',
          'promote_secondaries',
        ],
        'keepalived extension or tuning not implemented by vrrpd; the RFC behaviour applies',
      ),
    ]),
    ...ignoredKeywords<I>(
      ['linkbeat_use_polling'],
      'keepalived extension not implemented by vrrpd (link state comes from netlink); keepalived reports it as deprecated here too',
      undefined,
      { keepalivedReports: true },
    ),
    ...ignoredKeywords<I>(
      ['lvs_sync_daemon_interface'],
      'vrrpd does not implement LVS/IPVS; keepalived reports it as deprecated here too',
      undefined,
      { keepalivedReports: true },
    ),
    ...instanceEventNotifyKeywords<I>(),
  ],
};
