// One line of virtual_rules / static_rules, in `ip rule` syntax as keepalived 2.2.7 reads it
// (vrrp_iprule.c alloc_rule):
//   [not] [from PREFIX|all] [to PREFIX|all] [tos|dsfield T] [fwmark V[/M]] [iif|dev IF] [oif IF]
//   [priority|preference|order N] [realms [F/]T] [suppress_prefixlength N] [suppress_ifgroup G]
//   [tunnel-id N] [uidrange A-B] [protocol P] [ipproto P] [sport A-B] [dport A-B]
//   ACTION: table|lookup N | l3mdev | goto N | nop | [type] blackhole|unreachable|prohibit
//   [no_track] [inet|inet6]
// (keepalived rejects iproute2's `pref` abbreviation, so do we.) A mistake keepalived drops the
// rule for drops it here; one it only reports (protocol, ipproto, sport, dport) leaves the
// selector out. Applied when the instance becomes MASTER and removed when it leaves MASTER.

import { addressFamily, familyLabel, maxPrefix, parseAddressWithPrefix } from './address.js';
import type { ConfigNode, ConfigWord } from '../language/block-tree.js';
import { DiagnosticCodes, KEEPALIVED_REPORTS } from '../report/diagnostics.js';
import type { AddressFamily, RuleAction, RuleSpec } from '../model/types.js';
import { parseTable, parseUint32 } from './route-values.js';
import {
  parseDsfield,
  parseIfGroup,
  parseIpProto,
  parseRange,
  parseRealms,
  routeTypeOf,
} from './rule-route-values.js';
import { didYouMean } from '../report/suggest.js';
import { WordReader } from './word-reader.js';
import type { BuildContext } from './scalars.js';
import { parseInterfaceName, reportInvalid } from './scalars.js';

export const RULE_OPTIONS = [
  'from',
  'to',
  'table',
  'lookup',
  'fwmark',
  'priority',
  'preference',
  'order',
  'iif',
  'dev',
  'oif',
  'not',
  'tos',
  'dsfield',
  'realms',
  'goto',
  'nop',
  'suppress_prefixlength',
  'sup_pl',
  'suppress_ifgroup',
  'sup_group',
  'tunnel-id',
  'uidrange',
  'l3mdev',
  'protocol',
  'ipproto',
  'sport',
  'dport',
  'type',
  'blackhole',
  'unreachable',
  'prohibit',
  'no_track',
  'inet',
  'inet6',
] as const;

/** keepalived words vrrpd refuses on a rule line: none left. */
export const REFUSED_RULE_WORDS: readonly string[] = [];

/**
 * Words keepalived 2.2.7 itself refuses on a virtual_rules line (it drops the rule): `ip_proto`
 * (its word is `ipproto`), `nat` ("Invalid rule action"), `track_group` (static_rules only).
 */
export const KEEPALIVED_REFUSED_RULE_WORDS: readonly string[] = ['ip_proto', 'nat', 'track_group'];

/** keepalived marks every tracked rule with its own protocol, RTPROT_KEEPALIVED. */
export const KEEPALIVED_RULE_PROTOCOL = 18;

/** FR_ACT_BLACKHOLE/UNREACHABLE/PROHIBIT by the RTN_* type keepalived reads the word as. */
const ACTION_OF_ROUTE_TYPE: Readonly<Record<number, RuleAction>> = {
  6: 'blackhole',
  7: 'unreachable',
  8: 'prohibit',
};

export function parseRuleLine(node: ConfigNode, ctx: BuildContext, label = 'virtual_rules'): RuleSpec | null {
  if (node.children !== null) {
    ctx.sink.report(DiagnosticCodes.syntax, node.source, `${label} entries cannot have a { … } block`);
    return null;
  }
  const words: ConfigWord[] = [{ text: node.keyword, source: node.source }, ...node.args];
  const rule: Omit<RuleSpec, 'action'> & { action: RuleAction | null } = {
    family: 'ipv4',
    from: null,
    to: null,
    table: null,
    action: null,
    gotoTarget: null,
    invert: false,
    tos: null,
    fwmark: null,
    fwmask: null,
    priority: null,
    iif: null,
    oif: null,
    realms: null,
    suppressPrefixLength: null,
    suppressIfgroup: null,
    tunnelId: null,
    uidRange: null,
    l3mdev: false,
    protocol: null,
    ipProto: null,
    sport: null,
    dport: null,
    noTrack: false,
    source: node.source,
  };
  let forcedFamily: AddressFamily | null = null;
  /** Words that fix the family: from/to prefixes, and realms (IPv4 only). */
  const familyWords: Array<{ word: ConfigWord; family: AddressFamily }> = [];
  /** realms / suppress_*: only with a table action. */
  let tableOption: ConfigWord | null = null;
  const reader = new WordReader(words, ctx, label);
  const { keep, fail } = reader;
  const setAction = (at: ConfigWord, action: RuleAction): void => {
    if (rule.action !== null) {
      fail(
        at,
        'cannot specify more than one of table/nop/goto/blackhole/prohibit/unreachable/l3mdev for a rule',
      );
    } else {
      rule.action = action;
    }
  };
  /** A selector keepalived reports and leaves out, keeping the rule. */
  const reportOnly = (at: ConfigWord, message: string): void =>
    reportInvalid(
      ctx,
      at.source,
      `${label}: ${message}`,
      undefined,
      'the selector is ignored and the rule kept, as keepalived keeps it',
    );

  for (let word = reader.next(); word; word = reader.next()) {
    const current = word;
    const value = (): ConfigWord | null => reader.value(current);
    switch (word.text) {
      case 'from':
      case 'to': {
        const next = value();
        if (!next) break;
        if (next.text === 'all') break;
        const parsed = parseAddressWithPrefix(next.text);
        if (!parsed.ok) {
          fail(next, parsed.message);
          break;
        }
        const prefix = `${parsed.address}/${parsed.prefix ?? maxPrefix(parsed.family)}`;
        if (word.text === 'from') rule.from = prefix;
        else rule.to = prefix;
        familyWords.push({ word: next, family: parsed.family });
        break;
      }
      case 'table':
      case 'lookup': {
        const next = value();
        if (!next) break;
        const table = keep(parseTable(next, label, ctx));
        if (table === 0) fail(next, 'table 0 is not valid');
        else if (table !== null) rule.table = table;
        setAction(word, 'table');
        break;
      }
      case 'not':
        rule.invert = true;
        break;
      case 'priority':
      case 'preference':
      case 'order': {
        const next = value();
        if (next) rule.priority = keep(parseUint32(next, `${label} ${word.text}`, ctx));
        break;
      }
      case 'tos':
      case 'dsfield': {
        const next = value();
        if (next) rule.tos = keep(parseDsfield(next, label, ctx));
        break;
      }
      case 'fwmark': {
        const next = value();
        if (!next) break;
        const [markText, maskText] = next.text.split('/');
        rule.fwmark = keep(
          parseUint32({ text: markText as string, source: next.source }, `${label} fwmark`, ctx),
        );
        if (maskText !== undefined) {
          rule.fwmask = keep(
            parseUint32({ text: maskText, source: next.source }, `${label} fwmark mask`, ctx),
          );
        }
        break;
      }
      case 'realms': {
        const next = value();
        if (!next) break;
        rule.realms = keep(parseRealms(next, label, ctx));
        familyWords.push({ word: next, family: 'ipv4' });
        tableOption = word;
        break;
      }
      case 'suppress_prefixlength':
      case 'sup_pl': {
        const next = value();
        if (!next) break;
        if (/^\d+$/.test(next.text) && Number(next.text) <= 0x7fff_ffff)
          rule.suppressPrefixLength = Number(next.text);
        else fail(next, `invalid suppress_prefixlength '${next.text}' (0-2147483647)`);
        tableOption = word;
        break;
      }
      case 'suppress_ifgroup':
      case 'sup_group': {
        const next = value();
        if (!next) break;
        rule.suppressIfgroup = keep(parseIfGroup(next, label, ctx));
        tableOption = word;
        break;
      }
      case 'iif':
      case 'dev':
      case 'oif': {
        const next = value();
        if (!next) break;
        const name = keep(parseInterfaceName(next, `${label} ${word.text}`, ctx));
        if (word.text === 'oif') rule.oif = name;
        else rule.iif = name;
        break;
      }
      case 'tunnel-id': {
        const next = value();
        if (!next) break;
        if (/^\d+$/.test(next.text) && BigInt(next.text) <= 0xffff_ffff_ffff_ffffn)
          rule.tunnelId = BigInt(next.text).toString();
        else fail(next, `invalid tunnel-id '${next.text}' (a 64-bit number)`);
        break;
      }
      case 'uidrange': {
        const next = value();
        if (!next) break;
        rule.uidRange = parseRange(next.text, 0xffff_ffff);
        if (!rule.uidRange) fail(next, `invalid uidrange '${next.text}' (FIRST-LAST)`);
        break;
      }
      case 'l3mdev':
        if (rule.action !== null) fail(word, 'cannot specify l3mdev with another action');
        rule.l3mdev = true;
        rule.action ??= 'table';
        break;
      case 'protocol': {
        const next = value();
        if (!next) break;
        if (/^\d+$/.test(next.text) && Number(next.text) <= 255) rule.protocol = Number(next.text);
        else reportOnly(next, `invalid protocol '${next.text}' (a number 0-255)`);
        break;
      }
      case 'ipproto': {
        const next = value();
        if (next) rule.ipProto = parseIpProto(next, label, ctx);
        break;
      }
      case 'sport':
      case 'dport': {
        const next = value();
        if (!next) break;
        const range = parseRange(next.text, 0xffff);
        if (!range)
          reportOnly(next, `invalid ${word.text} range '${next.text}' (FIRST-LAST, keepalived wants both)`);
        else if (word.text === 'sport') rule.sport = range;
        else rule.dport = range;
        break;
      }
      case 'no_track':
        rule.noTrack = true;
        break;
      case 'inet':
      case 'inet6': {
        const family = word.text === 'inet' ? 'ipv4' : 'ipv6';
        if (forcedFamily !== null && forcedFamily !== family)
          fail(word, `${word.text} given for an ${familyLabel(forcedFamily)} rule`);
        forcedFamily = family;
        break;
      }
      default:
        readAction(word);
    }
  }

  /** goto N, nop, or a route type naming an action (`type` before it is optional). */
  function readAction(word: ConfigWord): void {
    let at = word;
    if (word.text === 'type') {
      const next = reader.value(word);
      if (!next) return;
      at = next;
    }
    if (at.text === 'goto') {
      const next = reader.value(at);
      if (!next) return;
      if (/^\d+$/.test(next.text) && Number(next.text) <= 0xffff_ffff) rule.gotoTarget = Number(next.text);
      else fail(next, `invalid goto target '${next.text}'`);
      setAction(at, 'goto');
      return;
    }
    if (at.text === 'nop') {
      setAction(at, 'nop');
      return;
    }
    const type = routeTypeOf(at.text);
    if (type === null) {
      fail(at, `unknown rule option '${at.text}'`, didYouMean(at.text, RULE_OPTIONS));
      return;
    }
    const action = ACTION_OF_ROUTE_TYPE[type];
    if (action) setAction(at, action);
    else
      fail(
        at,
        `invalid rule action '${at.text}'`,
        'rule actions are table, goto, nop, blackhole, unreachable and prohibit',
      );
  }

  if (!reader.ok) return null;
  return finishRule(rule, words[0] as ConfigWord, forcedFamily, familyWords, tableOption, label, ctx);
}

/** The checks keepalived makes once the line is read, in its order; null drops the rule. */
function finishRule(
  rule: Omit<RuleSpec, 'action'> & { action: RuleAction | null },
  first: ConfigWord,
  forcedFamily: AddressFamily | null,
  familyWords: ReadonlyArray<{ word: ConfigWord; family: AddressFamily }>,
  tableOption: ConfigWord | null,
  label: string,
  ctx: BuildContext,
): RuleSpec | null {
  const drop = (at: ConfigWord, message: string, hint?: string): null => {
    reportInvalid(ctx, at.source, `${label}: ${message}`, hint);
    return null;
  };
  let family: AddressFamily | null = forcedFamily;
  for (const { word, family: wordFamily } of familyWords) {
    family ??= wordFamily;
    if (wordFamily !== family) {
      const what = addressFamily(word.text.split('/')[0] as string)
        ? `'${word.text}' is ${familyLabel(wordFamily)}`
        : 'realms are IPv4 only';
      ctx.sink.report(
        ctx.lenient ? DiagnosticCodes.conflictDropped : DiagnosticCodes.conflict,
        word.source,
        `${label}: ${what} but the rule is ${familyLabel(family)}`,
      );
      return null;
    }
  }
  rule.family = family ?? 'ipv4';
  if (rule.action === 'goto') {
    if (rule.priority === null)
      return drop(
        first,
        `goto ${rule.gotoTarget} needs the rule's own priority`,
        'add priority N, below the goto target',
      );
    if (rule.priority >= (rule.gotoTarget as number)) {
      return drop(first, `priority ${rule.priority} is not below the goto target ${rule.gotoTarget}`);
    }
  }
  if (rule.action === null) {
    return drop(
      first,
      'a rule needs an action (table N, lookup N, l3mdev, goto N, nop, blackhole, unreachable or prohibit)',
      'e.g. from 192.0.2.0/24 table 100',
    );
  }
  if (rule.action !== 'table' && tableOption) {
    return drop(tableOption, `'${tableOption.text}' applies to table rules only`);
  }
  if (rule.l3mdev && rule.table !== null)
    return drop(first, 'an l3mdev rule takes no table (the VRF device names it)');
  if (!rule.noTrack) {
    if (rule.protocol !== null && rule.protocol !== KEEPALIVED_RULE_PROTOCOL) {
      ctx.sink.report(
        DiagnosticCodes.adjusted,
        rule.source,
        `${label}: rule uses protocol ${KEEPALIVED_RULE_PROTOCOL} (keepalived) instead of ${rule.protocol} because it is tracked, as keepalived does`,
        'add no_track to keep your protocol',
        KEEPALIVED_REPORTS,
      );
    }
    rule.protocol = KEEPALIVED_RULE_PROTOCOL;
  }
  // A missing priority is numbered (and reported) once the file is read: finish/rules.ts.
  return { ...rule, action: rule.action };
}
