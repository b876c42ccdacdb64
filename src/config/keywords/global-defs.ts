// global_defs { … }: daemon-wide settings and the defaults vrrp_instances inherit.

import { DiagnosticCodes } from '../report/diagnostics.js';
import type { VrrpVersion } from '../../packet/types.js';
import { isLinkLocalMulticast6, isMulticast } from '../values/address.js';
import type { GlobalDefs } from '../model/types.js';
import { parseScriptSpec } from '../values/script-command.js';
import {
  parseAddress,
  parseInteger,
  parseOptionalBoolean,
  parseSeconds,
  parseWholeSeconds,
} from '../values/scalars.js';
import { interfaceNameProblem, reportInvalid } from '../values/scalars.js';
import { KEEPALIVED_READS_LEADING_NUMBER } from '../values/scalars.js';
import { argument, parseFifo } from './common.js';
import { GLOBAL_UNSUPPORTED_KEYWORDS } from './global-unsupported.js';
import { MAX_DOWN_TIMER_ADVERTS } from '../../vrrp/instance-config.js';
import type { KeywordSpec, KeywordTable } from './types.js';

type G = GlobalDefs;

const SUPPORTED: KeywordSpec<G>[] = [
  {
    name: 'router_id',
    status: 'supported',
    syntax: '<STRING>',
    defaultValue: 'host name',
    doc: 'Name of this router in logs and notifications.',
    arity: [1, 1],
    apply: (node, g) => {
      g.routerId = argument(node).text;
    },
  },
  {
    name: 'enable_script_security',
    status: 'supported',
    syntax: '',
    defaultValue: 'off',
    doc: 'Refuse to run scripts as root when any part of their path is writable by a non-root user.',
    apply: (_node, g) => {
      g.enableScriptSecurity = true;
    },
  },
  {
    name: 'script_user',
    status: 'supported',
    syntax: '<USER> [GROUP]',
    defaultValue: 'keepalived_script if it exists, else root',
    doc: 'Default user (and group) to run notify and track scripts as.',
    arity: [1, 2],
    apply: (node, g) => {
      g.scriptUser = { user: argument(node).text, group: node.args[1]?.text ?? null };
    },
  },
  {
    name: 'vrrp_version',
    status: 'supported',
    syntax: '<2|3>',
    defaultValue: '2',
    doc: 'Default VRRP version for instances (IPv6 instances default to 3; keepalived also runs a non-standard 2).',
    arity: [1, 1],
    apply: (node, g, ctx) => {
      const version = parseInteger(
        argument(node),
        'vrrp_version',
        { min: 2, max: 3 },
        ctx,
        KEEPALIVED_READS_LEADING_NUMBER,
      );
      if (version !== null) g.vrrpVersion = version as VrrpVersion;
    },
  },
  {
    name: 'vrrp_garp_master_delay',
    status: 'supported',
    syntax: '<SECONDS>',
    defaultValue: '5',
    doc: 'Delay before the second burst of gratuitous ARPs after becoming MASTER; 0 disables it.',
    arity: [1, 1],
    apply: (node, g, ctx) => {
      const seconds = parseWholeSeconds(
        argument(node),
        node.keyword,
        { min: 0, max: 1000 },
        ctx,
        KEEPALIVED_READS_LEADING_NUMBER,
      );
      if (seconds !== null) g.garp.masterDelayMs = seconds * 1000;
    },
  },
  {
    name: 'vrrp_garp_master_repeat',
    status: 'supported',
    syntax: '<COUNT>',
    defaultValue: '5',
    doc: 'Gratuitous ARPs sent per burst on becoming MASTER.',
    arity: [1, 1],
    apply: (node, g, ctx) => {
      const count = parseInteger(
        argument(node),
        node.keyword,
        { min: 1, max: 1000 },
        ctx,
        KEEPALIVED_READS_LEADING_NUMBER,
      );
      if (count !== null) g.garp.masterRepeat = count;
    },
  },
  {
    name: 'vrrp_garp_master_refresh',
    status: 'supported',
    syntax: '<SECONDS>',
    defaultValue: '0 (off)',
    doc: 'Interval of periodic gratuitous ARP refreshes while MASTER.',
    arity: [1, 1],
    apply: (node, g, ctx) => {
      const seconds = parseWholeSeconds(
        argument(node),
        node.keyword,
        { min: 0, max: 86400 },
        ctx,
        KEEPALIVED_READS_LEADING_NUMBER,
      );
      if (seconds !== null) g.garp.masterRefreshMs = seconds * 1000;
    },
  },
  {
    name: 'vrrp_garp_master_refresh_repeat',
    status: 'supported',
    syntax: '<COUNT>',
    defaultValue: '1',
    doc: 'Gratuitous ARPs sent per periodic refresh.',
    arity: [1, 1],
    apply: (node, g, ctx) => {
      const count = parseInteger(
        argument(node),
        node.keyword,
        { min: 1, max: 1000 },
        ctx,
        KEEPALIVED_READS_LEADING_NUMBER,
      );
      if (count !== null) g.garp.masterRefreshRepeat = count;
    },
  },
  {
    name: 'vrrp_down_timer_adverts',
    status: 'supported',
    syntax: '<1-100>',
    defaultValue: '3',
    doc: 'Default of every instance’s down_timer_adverts: adverts missed before the master is declared down.',
    arity: [1, 1],
    apply: (node, g, ctx) => {
      const count = parseInteger(
        argument(node),
        node.keyword,
        { min: 1, max: MAX_DOWN_TIMER_ADVERTS },
        ctx,
        KEEPALIVED_READS_LEADING_NUMBER,
      );
      if (count !== null) g.downTimerAdverts = count;
    },
  },
  {
    name: 'vrrp_garp_interval',
    status: 'supported',
    syntax: '<SECONDS>',
    defaultValue: '0',
    doc: 'Spacing between individual gratuitous ARP packets (resolution microseconds).',
    arity: [1, 1],
    apply: (node, g, ctx) => {
      const seconds = parseSeconds(argument(node), node.keyword, { min: 0, max: 1 }, ctx);
      if (seconds !== null) g.garp.intervalUs = Math.round(seconds * 1_000_000);
    },
  },
  ...(['vmac_prefix', 'vmac_addr_prefix'] as const).map((keyword): KeywordSpec<GlobalDefs> => ({
    name: keyword,
    status: 'supported',
    syntax: '<PREFIX>',
    defaultValue: keyword === 'vmac_prefix' ? 'vrrp' : 'vmac_prefix',
    doc:
      keyword === 'vmac_prefix'
        ? 'Name prefix of use_vmac interfaces: PREFIX.VRID (then PREFIX1.VRID… when taken).'
        : 'Name prefix of use_vmac_addr interfaces.',
    arity: [1, 1],
    repeat: 'first-wins',
    apply: (node, g, ctx) => {
      const word = argument(node);
      if (interfaceNameProblem(word.text) !== null) {
        reportInvalid(
          ctx,
          word.source,
          `${keyword} '${word.text}' is not a valid interface name prefix`,
          undefined,
          'ignored, as keepalived ignores it',
        );
        return;
      }
      if (keyword === 'vmac_prefix') g.vmacPrefix = word.text;
      else g.vmacAddrPrefix = word.text;
    },
  })),
  {
    name: 'vrrp_gna_interval',
    status: 'supported',
    syntax: '<SECONDS>',
    defaultValue: '0',
    doc: 'Spacing between unsolicited neighbour advertisements of IPv6 instances (resolution microseconds); the IPv6 twin of vrrp_garp_interval.',
    arity: [1, 1],
    apply: (node, g, ctx) => {
      const word = argument(node);
      const seconds = parseSeconds(word, node.keyword, { min: 0.000001, max: 4294 }, ctx, {
        consequence: 'ignored, as keepalived ignores it',
      });
      if (seconds === null) return;
      g.gnaIntervalUs = Math.round(seconds * 1_000_000);
      if (seconds >= 1)
        ctx.sink.report(
          DiagnosticCodes.suspicious,
          word.source,
          `the vrrp_gna_interval is very large - ${word.text} seconds`,
          'neighbour adverts are normally spaced by milliseconds at most',
        );
    },
  },
  {
    name: 'vrrp_min_garp',
    status: 'supported',
    syntax: '[on|off]',
    defaultValue: 'off',
    doc: 'Send a single gratuitous ARP on becoming MASTER and no second burst (repeat 1, delay 0).',
    arity: [0, 1],
    apply: (node, g, ctx) => {
      if (parseOptionalBoolean(node.args[0], node.keyword, ctx) !== true) return;
      g.garp.masterRepeat = 1;
      g.garp.masterDelayMs = 0;
    },
  },
  {
    name: 'vrrp_startup_delay',
    status: 'supported',
    syntax: '<SECONDS>',
    defaultValue: '0',
    doc: 'Keep instances idle this long after start (lets bonds and switches settle).',
    arity: [1, 1],
    apply: (node, g, ctx) => {
      const seconds = parseSeconds(
        argument(node),
        node.keyword,
        { min: 0, max: 1000 },
        ctx,
        KEEPALIVED_READS_LEADING_NUMBER,
      );
      if (seconds !== null) g.startupDelayMs = Math.round(seconds * 1000);
    },
  },
  {
    name: 'vrrp_mcast_group4',
    status: 'supported',
    syntax: '<IPV4 MULTICAST ADDRESS>',
    defaultValue: '224.0.0.18',
    doc: 'Destination of IPv4 multicast adverts (RFC 5798 §5.1.1.2).',
    arity: [1, 1],
    apply: (node, g, ctx) => {
      const word = argument(node);
      const address = parseAddress(word, node.keyword, ctx, 'ipv4');
      if (!address) return;
      if (!isMulticast(address.address, 'ipv4')) {
        reportInvalid(
          ctx,
          node.source,
          `vrrp_mcast_group4 ${address.address} is not a multicast address (224.0.0.0/4)`,
        );
        return;
      }
      g.mcastGroup4 = address.address;
    },
  },
  {
    name: 'vrrp_mcast_group6',
    status: 'supported',
    syntax: '<IPV6 MULTICAST ADDRESS>',
    defaultValue: 'ff02::12',
    doc: 'Destination of IPv6 multicast adverts; must be link-local scope (ffX2::).',
    arity: [1, 1],
    apply: (node, g, ctx) => {
      const address = parseAddress(argument(node), node.keyword, ctx, 'ipv6');
      if (!address) return;
      if (!isLinkLocalMulticast6(address.address)) {
        reportInvalid(
          ctx,
          node.source,
          `vrrp_mcast_group6 ${address.address} is not a link-local multicast address (ffX2::)`,
        );
        return;
      }
      g.mcastGroup6 = address.address;
    },
  },
  {
    name: 'vrrp_skip_check_adv_addr',
    status: 'supported',
    syntax: '[on|off]',
    defaultValue: 'off',
    doc: 'Skip checking the address list of adverts from the master already known.',
    arity: [0, 1],
    apply: (node, g, ctx) => {
      const value = parseOptionalBoolean(node.args[0], node.keyword, ctx);
      if (value !== null) g.skipCheckAdvAddr = value;
    },
  },
  {
    name: 'vrrp_notify_priority_changes',
    status: 'supported',
    syntax: '[on|off]',
    defaultValue: 'off',
    doc: 'Default of notify_priority_changes for every instance (see vrrp_instance).',
    arity: [0, 1],
    apply: (node, g, ctx) => {
      g.notifyPriorityChanges =
        parseOptionalBoolean(node.args[0], 'vrrp_notify_priority_changes', ctx) ?? g.notifyPriorityChanges;
    },
  },
  {
    name: 'vrrp_check_unicast_src',
    status: 'supported',
    syntax: '',
    defaultValue: 'off',
    doc: 'In unicast mode, accept adverts only from the configured unicast peers (default for every instance).',
    apply: (_node, g) => {
      g.checkUnicastSrc = true;
    },
  },
  {
    name: 'notify_fifo',
    status: 'supported',
    syntax: '<PATH> [USER [GROUP]]',
    doc: 'FIFO receiving one line per instance and group state change: `INSTANCE "VI_1" MASTER 100`.',
    arity: [1, 3],
    apply: (node, g, ctx) => {
      g.notifyFifo = parseFifo(node, ctx) ?? g.notifyFifo;
    },
  },
  {
    name: 'vrrp_notify_fifo',
    status: 'supported',
    syntax: '<PATH> [USER [GROUP]]',
    doc: 'Like notify_fifo, for VRRP events only.',
    arity: [1, 3],
    apply: (node, g, ctx) => {
      g.vrrpNotifyFifo = parseFifo(node, ctx) ?? g.vrrpNotifyFifo;
    },
  },
  {
    name: 'notify_fifo_script',
    status: 'supported',
    syntax: '<SCRIPT> [USER [GROUP]]',
    doc: 'Reader of notify_fifo: started with the FIFO path as last argument when the FIFO is opened (start, reload), as script_user unless USER is given; terminated at stop and reload, not restarted if it exits. Without notify_fifo it is not run.',
    arity: [1, 3],
    // keepalived keeps the first one ("notify_fifo_script already specified").
    repeat: 'first-wins',
    apply: (node, g, ctx) => {
      g.notifyFifoScript = parseScriptSpec(node, ctx) ?? g.notifyFifoScript;
    },
  },
  {
    name: 'vrrp_notify_fifo_script',
    status: 'supported',
    syntax: '<SCRIPT> [USER [GROUP]]',
    doc: 'Like notify_fifo_script, for vrrp_notify_fifo.',
    arity: [1, 3],
    repeat: 'first-wins',
    apply: (node, g, ctx) => {
      g.vrrpNotifyFifoScript = parseScriptSpec(node, ctx) ?? g.vrrpNotifyFifoScript;
    },
  },
  {
    name: 'vrrp_priority',
    status: 'supported',
    syntax: '<-20..19>',
    doc: 'Nice value of the daemon (negative = higher scheduling priority).',
    arity: [1, 1],
    apply: (node, g, ctx) => {
      g.processPriority =
        parseInteger(
          argument(node),
          node.keyword,
          { min: -20, max: 19 },
          ctx,
          KEEPALIVED_READS_LEADING_NUMBER,
        ) ?? g.processPriority;
    },
  },
  {
    name: 'vrrp_no_swap',
    status: 'supported',
    syntax: '',
    defaultValue: 'off',
    doc: "Read, but memory is not locked (mlockall makes Node's V8 abort; the daemon logs a warning): keep vrrpd out of swap with MemorySwapMax=0 in the systemd unit.",
    apply: (_node, g) => {
      g.noSwap = true;
    },
  },
  {
    name: 'vrrp_rt_priority',
    status: 'supported',
    syntax: '<1..99>',
    doc: 'Run the daemon with SCHED_RR real-time scheduling at this priority.',
    arity: [1, 1],
    apply: (node, g, ctx) => {
      g.realtimePriority =
        parseInteger(argument(node), node.keyword, { min: 1, max: 99 }, ctx) ?? g.realtimePriority;
    },
  },
  {
    name: 'max_auto_priority',
    status: 'supported',
    syntax: '[<-1..99>]',
    defaultValue: '0 (off); 99 when given without a value',
    doc: 'Highest real-time priority the daemon may raise itself to when it detects scheduling delays.',
    arity: [0, 1],
    apply: (node, g, ctx) => {
      const word = node.args[0];
      g.maxAutoPriority = word
        ? (parseInteger(word, node.keyword, { min: -1, max: 99 }, ctx, KEEPALIVED_READS_LEADING_NUMBER) ??
          g.maxAutoPriority)
        : 99;
    },
  },
  {
    name: 'vrrp_strict',
    status: 'supported',
    syntax: '',
    defaultValue: 'off',
    doc: "keepalived's strict RFC mode for every instance (see strict_mode): no authentication, state MASTER only for the address owner, accept mode off unless owner, no preempt_delay; adjusted with a warning, or refused where keepalived refuses.",
    apply: (_node, g) => {
      g.vrrpStrict = true;
    },
  },
  {
    name: 'disable_local_igmp',
    status: 'supported',
    syntax: '',
    defaultValue: 'off',
    doc: "Sets net.ipv4.igmp_link_local_mcast_reports to 0 when the daemon starts (not on reload) and restores it at stop, as keepalived does: a BACKUP's VMAC then sends no IGMP report for 224.0.0.18 that would pull the switch's entry for the virtual MAC to its port.",
    apply: (_node, g) => {
      g.disableLocalIgmp = true;
    },
  },
  {
    name: 'dynamic_interfaces',
    status: 'supported',
    syntax: '[allow_if_changes]',
    defaultValue: 'off',
    doc: 'Interfaces named in the configuration may be created later: the config test accepts absent ones (keepalived refuses them otherwise).',
    arity: [0, 1],
    apply: (_node, g) => {
      g.dynamicInterfaces = true;
    },
  },
  {
    name: 'startup_script',
    status: 'supported',
    syntax: '<SCRIPT> [USER [GROUP]]',
    doc: 'Run once when the daemon starts, before any instance.',
    arity: [1, 3],
    // keepalived keeps the first one ("startup script already specified").
    repeat: 'first-wins',
    apply: (node, g, ctx) => {
      g.startupScript = parseScriptSpec(node, ctx) ?? g.startupScript;
    },
  },
  {
    name: 'startup_script_timeout',
    status: 'supported',
    syntax: '<1..1000>',
    defaultValue: '10',
    doc: 'Seconds the startup script may run before it is killed.',
    arity: [1, 1],
    apply: (node, g, ctx) => {
      const seconds = parseInteger(
        argument(node),
        node.keyword,
        { min: 1, max: 1000 },
        ctx,
        KEEPALIVED_READS_LEADING_NUMBER,
      );
      if (seconds !== null) g.startupScriptTimeoutMs = seconds * 1000;
    },
  },
  {
    name: 'shutdown_script',
    status: 'supported',
    syntax: '<SCRIPT> [USER [GROUP]]',
    doc: 'Run once when the daemon stops, after every instance has left MASTER.',
    arity: [1, 3],
    // keepalived keeps the first one ("shutdown script already specified").
    repeat: 'first-wins',
    apply: (node, g, ctx) => {
      g.shutdownScript = parseScriptSpec(node, ctx) ?? g.shutdownScript;
    },
  },
  {
    name: 'shutdown_script_timeout',
    status: 'supported',
    syntax: '<1..1000>',
    defaultValue: '10',
    doc: 'Seconds the shutdown script may run before it is killed.',
    arity: [1, 1],
    apply: (node, g, ctx) => {
      const seconds = parseInteger(
        argument(node),
        node.keyword,
        { min: 1, max: 1000 },
        ctx,
        KEEPALIVED_READS_LEADING_NUMBER,
      );
      if (seconds !== null) g.shutdownScriptTimeoutMs = seconds * 1000;
    },
  },
];

export const GLOBAL_DEFS_TABLE: KeywordTable<G> = {
  block: 'global_defs',
  keywords: [...SUPPORTED, ...GLOBAL_UNSUPPORTED_KEYWORDS],
};
