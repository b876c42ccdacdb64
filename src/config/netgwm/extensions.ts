// The `vrrpd:` section of netgwm.yml: vrrpd's extensions, one table entry per key with its reader,
// its documented default and its help text. The parser (parse.ts) and the generated reference
// (docs.ts) both read this table, so the two cannot disagree.

import { DiagnosticCodes } from '../report/diagnostics.js';
import { DEFAULT_SWITCH_LOG, MAIN_ROUTE_TABLE, NETGWM_MODE_FILE, NETGWM_STATUS_DIR } from './constants.js';
import type { NetgwmExtensions } from './types.js';
import {
  readBoolean,
  readChoice,
  readInteger,
  readNumber,
  readOptionalPath,
  type FieldContext,
} from './values.js';

export interface ExtensionSpec {
  key: string;
  /** For the documentation: syntax and default as users write them. */
  syntax: string;
  defaultText: string;
  doc: string;
  read: (ctx: FieldContext, target: Partial<NetgwmExtensions>) => void;
}

const MAX_U32 = 0xffffffff;
const ms = (seconds: number): number => Math.round(seconds * 1000);

/** The `vrrpd:` section: vrrpd's extensions to netgwm.yml, with their documented defaults. */
export const NETGWM_EXTENSIONS: readonly ExtensionSpec[] = [
  {
    key: 'interval',
    syntax: '<seconds>',
    defaultText: '1',
    doc: 'Time between probe rounds; every gateway is probed every round, in parallel.',
    read: (ctx, t) => {
      const v = readNumber(ctx, 0.05, 3600, 'seconds');
      if (v !== undefined) t.intervalMs = ms(v);
    },
  },
  {
    key: 'failure_interval',
    syntax: '<seconds>',
    defaultText: 'interval',
    doc: 'Time between probes of an UP gateway that has failed a round, until it is DOWN or answers again: a shorter value confirms a failure sooner (fall × failure_interval) without probing healthy gateways faster.',
    read: (ctx, t) => {
      const v = readNumber(ctx, 0.05, 3600, 'seconds');
      if (v !== undefined) t.failureIntervalMs = ms(v);
    },
  },
  {
    key: 'recovery_interval',
    syntax: '<seconds>',
    defaultText: 'interval',
    doc: 'Time between probes of a DOWN gateway that has answered a round, until it is UP or fails again (rise × recovery_interval).',
    read: (ctx, t) => {
      const v = readNumber(ctx, 0.05, 3600, 'seconds');
      if (v !== undefined) t.recoveryIntervalMs = ms(v);
    },
  },
  {
    key: 'gateways',
    syntax: 'ID: {key: value, …}',
    defaultText: 'none',
    doc: "Per-gateway settings, by the ids of netgwm.yml's gateways: the keys of the next table.",
    // Read by parse.ts (it needs the gateway ids); listed here for the reference.
    read: () => undefined,
  },
  {
    key: 'timeout',
    syntax: '<seconds>',
    defaultText: '1 (or interval, if shorter)',
    doc: 'How long a probe waits for its echo reply; at most interval.',
    read: (ctx, t) => {
      const v = readNumber(ctx, 0.01, 3600, 'seconds');
      if (v !== undefined) t.timeoutMs = ms(v);
    },
  },
  {
    key: 'count',
    syntax: '<1-10>',
    defaultText: '2',
    doc: 'Echo requests per check site per round (NetGWM: ping -c 2); a site answers if one reply arrives.',
    read: (ctx, t) => {
      t.count = readInteger(ctx, 1, 10);
    },
  },
  {
    key: 'quorum',
    syntax: '<1-N>',
    defaultText: '1',
    doc: 'Check sites that must answer for a round to succeed (k of N). 1 is NetGWM\'s "any site".',
    read: (ctx, t) => {
      t.quorum = readInteger(ctx, 1, 1000);
    },
  },
  {
    key: 'rise',
    syntax: '<1-100>',
    defaultText: '2',
    doc: 'Consecutive good rounds that bring a DOWN gateway UP.',
    read: (ctx, t) => {
      t.rise = readInteger(ctx, 1, 100);
    },
  },
  {
    key: 'fall',
    syntax: '<1-100>',
    defaultText: '3',
    doc: 'Consecutive failed rounds that bring an UP gateway DOWN (and make the active one be left).',
    read: (ctx, t) => {
      t.fall = readInteger(ctx, 1, 100);
    },
  },
  {
    key: 'max_loss',
    syntax: '<percent 0-100>',
    defaultText: 'unset',
    doc: 'Loss over loss_window rounds above this raises an alarm that fails every round until the loss is back at loss_recover (dpinger-style, with hysteresis).',
    read: (ctx, t) => {
      const v = readNumber(ctx, 0, 100, 'percent');
      if (v !== undefined) t.maxLoss = v / 100;
    },
  },
  {
    key: 'loss_recover',
    syntax: '<percent 0-100>',
    defaultText: 'max_loss',
    doc: 'The loss alarm ends once the loss is at or below this (at most max_loss).',
    read: (ctx, t) => {
      const v = readNumber(ctx, 0, 100, 'percent');
      if (v !== undefined) t.lossRecover = v / 100;
    },
  },
  {
    key: 'max_rtt',
    syntax: '<seconds>',
    defaultText: 'unset',
    doc: 'Latency (mean RTT over loss_window rounds) above this raises an alarm that fails every round until it is back at rtt_recover.',
    read: (ctx, t) => {
      const v = readNumber(ctx, 0.001, 60, 'seconds');
      if (v !== undefined) t.maxRttMs = v * 1000;
    },
  },
  {
    key: 'rtt_recover',
    syntax: '<seconds>',
    defaultText: 'max_rtt',
    doc: 'The latency alarm ends once the latency is at or below this (at most max_rtt).',
    read: (ctx, t) => {
      const v = readNumber(ctx, 0.001, 60, 'seconds');
      if (v !== undefined) t.rttRecoverMs = v * 1000;
    },
  },
  {
    key: 'max_jitter',
    syntax: '<seconds>',
    defaultText: 'unset',
    doc: 'Jitter (standard deviation of the RTT over loss_window rounds, as dpinger reports it) above this raises an alarm until it is back at jitter_recover.',
    read: (ctx, t) => {
      const v = readNumber(ctx, 0.001, 60, 'seconds');
      if (v !== undefined) t.maxJitterMs = v * 1000;
    },
  },
  {
    key: 'jitter_recover',
    syntax: '<seconds>',
    defaultText: 'max_jitter',
    doc: 'The jitter alarm ends once the jitter is at or below this (at most max_jitter).',
    read: (ctx, t) => {
      const v = readNumber(ctx, 0.001, 60, 'seconds');
      if (v !== undefined) t.jitterRecoverMs = v * 1000;
    },
  },
  {
    key: 'loss_window',
    syntax: '<rounds>',
    defaultText: '10',
    doc: 'Rounds over which loss, latency and jitter (shown by vrrpctl status, used by the thresholds) are measured.',
    read: (ctx, t) => {
      t.lossWindowRounds = readInteger(ctx, 1, 1000);
    },
  },
  {
    key: 'resolve_interval',
    syntax: '<seconds>',
    defaultText: '60',
    doc: 'Check sites given by name are resolved again this often (through the system resolver, i.e. the main table); a name that does not resolve is retried sooner (1 s, doubling) and one that stops resolving keeps its last address.',
    read: (ctx, t) => {
      const v = readNumber(ctx, 1, 86_400, 'seconds');
      if (v !== undefined) t.resolveIntervalMs = ms(v);
    },
  },
  {
    key: 'route_table',
    syntax: 'main | <1-4294967295>',
    defaultText: 'main',
    doc: 'Routing table of the default route that is replaced.',
    read: (ctx, t) => {
      if (ctx.reader.scalar(ctx.node) === 'main') t.routeTable = MAIN_ROUTE_TABLE;
      else t.routeTable = readInteger(ctx, 1, MAX_U32);
    },
  },
  {
    key: 'probe_table_base',
    syntax: '<table>',
    defaultText: '3400',
    doc: 'Gateway n (1-based, in file order) gets table base+n holding a default route via it, for its probes only.',
    read: (ctx, t) => {
      t.probeTableBase = readInteger(ctx, 0, MAX_U32 - 1000);
    },
  },
  {
    key: 'probe_rule_priority_base',
    syntax: '<priority>',
    defaultText: '3400',
    doc: 'Gateway n gets the rule `pref base+n fwmark M lookup T`; must sort before rules that would catch probes.',
    read: (ctx, t) => {
      t.probeRulePriorityBase = readInteger(ctx, 0, 32000);
    },
  },
  {
    key: 'probe_fwmark_base',
    syntax: '<mark>',
    defaultText: '0x76720000',
    doc: "Gateway n's probe socket carries mark base+n (SO_MARK); keep these marks out of netfilter rules that rewrite marks.",
    read: (ctx, t) => {
      t.probeFwmarkBase = readInteger(ctx, 1, MAX_U32 - 1000);
    },
  },
  {
    key: 'conntrack_flush',
    syntax: 'none | udp | all',
    defaultText: 'none',
    doc: "After a switch, delete the old gateway's conntrack entries (UDP only, or all) with conntrack -D.",
    read: (ctx, t) => {
      t.conntrackFlush = readChoice(ctx, ['none', 'udp', 'all'] as const);
    },
  },
  {
    key: 'sticky_flows',
    syntax: 'true | false',
    defaultText: 'false',
    doc: "Established connections keep the uplink they started on while it is UP, across fail-backs and tier changes (connmark): an nftables table `vrrpd_uplinks_<group>` marks each new connection with its gateway's probe mark and routes its later packets by that mark through the gateway's probe table; the flows of a gateway that went DOWN follow the default route again. Needs nft(8); the table is removed on stop.",
    read: (ctx, t) => {
      const v = readBoolean(ctx);
      if (v !== undefined) t.stickyFlows = v;
    },
  },
  {
    key: 'post_replace_dir',
    syntax: '<absolute path> | null',
    defaultText: '/etc/netgwm/post-replace.d',
    doc: "Executables run in name order after each switch with NetGWM's six arguments; null disables.",
    read: (ctx, t) => {
      t.postReplaceDir = readOptionalPath(ctx);
    },
  },
  {
    key: 'event_dir',
    syntax: '<absolute path> | null',
    defaultText: '/etc/netgwm/event.d',
    doc: 'Executables run in name order, on every router (master or backup), each time a gateway comes UP or goes DOWN, mwan3 hotplug-style: no arguments, ACTION=up|down, GATEWAY, DEVICE, GATEWAY_IP, GROUP and PREVIOUS in the environment. A missing directory runs nothing; null disables.',
    read: (ctx, t) => {
      t.eventDir = readOptionalPath(ctx);
    },
  },
  {
    key: 'hook_timeout',
    syntax: '<seconds>',
    defaultText: '30',
    doc: 'A post-replace.d executable still running after this is killed (its process group).',
    read: (ctx, t) => {
      const v = readNumber(ctx, 0.1, 3600, 'seconds');
      if (v !== undefined) t.hookTimeoutMs = ms(v);
    },
  },
  {
    key: 'log_file',
    syntax: '<absolute path> | null',
    defaultText: '$LOGS_DIRECTORY/netgwm.log, i.e. /var/log/vrrpd/netgwm.log',
    doc: "NetGWM's switch log, one line per switch: `YYYY-MM-DD HH:MM:SS,mmm route replaced to: via IP`. On by default as with NetGWM, in the directory the systemd unit can write (NetGWM: /var/log/netgwm.log); null turns it off.",
    read: (ctx, t) => {
      t.logFile = readOptionalPath(ctx);
    },
  },
  {
    key: 'state_file',
    syntax: '<absolute path>',
    defaultText: '/var/lib/vrrpd/uplinks.json',
    doc: 'Flap memory and the active gateway, written atomically, read at start.',
    read: (ctx, t) => {
      const v = readOptionalPath(ctx);
      if (v === null)
        ctx.reader.report(DiagnosticCodes.value, ctx.node, ctx.path, 'state_file cannot be disabled');
      else if (v !== undefined) t.stateFile = v;
    },
  },
  {
    key: 'mode_file',
    syntax: '<absolute path> | null',
    defaultText: NETGWM_MODE_FILE,
    doc: "NetGWM's runtime pin: `auto` or a gateway id, read before every probe round when netgwm.yml has no `mode` (an id naming no gateway means auto); `vrrpctl uplink pin` writes it. null: neither.",
    read: (ctx, t) => {
      const v = readOptionalPath(ctx);
      if (v !== undefined) t.modeFile = v;
    },
  },
  {
    key: 'status_dir',
    syntax: '<absolute path> | null',
    defaultText: `${NETGWM_STATUS_DIR} (NetGWM's /var/run/netgwm)`,
    doc: "NetGWM's status files, for the programs that read them: gwstore.yml (`ID: {wakeuptime: SECONDS}`, null while failing) and one file per gateway (`up:SITE:RTT` or `down`), rewritten when they change. null: not written.",
    read: (ctx, t) => {
      const v = readOptionalPath(ctx);
      if (v !== undefined) t.statusDir = v;
    },
  },
];

export const EXTENSION_DEFAULTS: NetgwmExtensions = {
  intervalMs: 1000,
  failureIntervalMs: null,
  recoveryIntervalMs: null,
  gatewaySettings: {},
  timeoutMs: 1000,
  count: 2,
  quorum: 1,
  rise: 2,
  fall: 3,
  maxLoss: null,
  lossRecover: null,
  maxRttMs: null,
  rttRecoverMs: null,
  maxJitterMs: null,
  jitterRecoverMs: null,
  lossWindowRounds: 10,
  resolveIntervalMs: 60_000,
  routeTable: MAIN_ROUTE_TABLE,
  probeTableBase: 3400,
  probeRulePriorityBase: 3400,
  probeFwmarkBase: 0x76720000,
  conntrackFlush: 'none',
  stickyFlows: false,
  postReplaceDir: '/etc/netgwm/post-replace.d',
  eventDir: '/etc/netgwm/event.d',
  hookTimeoutMs: 30_000,
  logFile: DEFAULT_SWITCH_LOG,
  stateFile: '/var/lib/vrrpd/uplinks.json',
  modeFile: NETGWM_MODE_FILE,
  statusDir: NETGWM_STATUS_DIR,
};
