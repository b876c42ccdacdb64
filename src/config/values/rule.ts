// One line of virtual_rules, in `ip rule` syntax as keepalived takes it:
//   [from PREFIX|all] [to PREFIX|all] table|lookup N [fwmark V[/M]] [priority|preference N]
// (keepalived rejects iproute2's `pref` abbreviation, so do we)
//   [iif IF] [oif IF] [no_track] [inet|inet6]
// Applied when the instance becomes MASTER and removed when it leaves MASTER.

import { addressFamily, familyLabel, maxPrefix, parseAddressWithPrefix } from './address.js';
import type { ConfigNode, ConfigWord } from '../language/block-tree.js';
import { DiagnosticCodes, KEEPALIVED_REPORTS } from '../report/diagnostics.js';
import type { AddressFamily, RuleSpec } from '../model/types.js';
import { parseTable, parseUint32 } from './route-values.js';
import { didYouMean } from '../report/suggest.js';
import { WordReader } from './word-reader.js';
import type { BuildContext } from './scalars.js';
import { parseInterfaceName } from './scalars.js';

export const RULE_OPTIONS = [
  'from',
  'to',
  'table',
  'lookup',
  'fwmark',
  'priority',
  'preference',
  'iif',
  'oif',
  'no_track',
  'inet',
  'inet6',
] as const;

export const REFUSED_RULE_WORDS = [
  'not',
  'tos',
  'dsfield',
  'realms',
  'goto',
  'suppress_prefixlength',
  'suppress_ifgroup',
  'uidrange',
  'l3mdev',
  'protocol',
  'ipproto',
  'ip_proto',
  'sport',
  'dport',
  'track_group',
  'blackhole',
  'unreachable',
  'prohibit',
  'nat',
  'type',
] as const;

/** Words keepalived 2.2.7 itself refuses on a rule line (it drops the rule): dropped here too. */
export const KEEPALIVED_REFUSED_RULE_WORDS: readonly string[] = [];

export function parseRuleLine(node: ConfigNode, ctx: BuildContext, label = 'virtual_rules'): RuleSpec | null {
  if (node.children !== null) {
    ctx.sink.report(DiagnosticCodes.syntax, node.source, `${label} entries cannot have a { … } block`);
    return null;
  }
  const words: ConfigWord[] = [{ text: node.keyword, source: node.source }, ...node.args];
  const rule: Omit<RuleSpec, 'table'> & { table: number | null } = {
    family: 'ipv4',
    from: null,
    to: null,
    table: null,
    fwmark: null,
    fwmask: null,
    priority: null,
    iif: null,
    oif: null,
    noTrack: false,
    source: node.source,
  };
  let forcedFamily: AddressFamily | null = null;
  const prefixes: ConfigWord[] = [];
  const reader = new WordReader(words, ctx, label);
  const { keep, fail } = reader;
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
        prefixes.push(next);
        break;
      }
      case 'table':
      case 'lookup': {
        const next = value();
        if (next) rule.table = keep(parseTable(next, label, ctx));
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
      case 'priority':
      case 'preference': {
        const next = value();
        if (next) rule.priority = keep(parseUint32(next, `${label} ${word.text}`, ctx));
        break;
      }
      case 'iif':
      case 'oif': {
        const next = value();
        if (!next) break;
        const name = keep(parseInterfaceName(next, `${label} ${word.text}`, ctx));
        if (word.text === 'iif') rule.iif = name;
        else rule.oif = name;
        break;
      }
      case 'no_track':
        rule.noTrack = true;
        break;
      case 'inet':
        forcedFamily = 'ipv4';
        break;
      case 'inet6':
        forcedFamily = 'ipv6';
        break;
      default:
        if ((REFUSED_RULE_WORDS as readonly string[]).includes(word.text)) {
          ctx.sink.report(
            DiagnosticCodes.unsupported,
            word.source,
            `${label}: '${word.text}' is not supported by vrrpd`,
            'vrrpd applies table-lookup rules with the selectors listed in docs/config-reference.md',
          );
          reader.ok = false;
        } else {
          fail(word, `unknown option '${word.text}'`, didYouMean(word.text, RULE_OPTIONS));
        }
    }
  }
  if (!reader.ok) return null;
  let family: AddressFamily | null = forcedFamily;
  for (const word of prefixes) {
    const wordFamily = addressFamily(word.text.split('/')[0] as string) as AddressFamily;
    family ??= wordFamily;
    if (wordFamily !== family) {
      ctx.sink.report(
        ctx.lenient ? DiagnosticCodes.conflictDropped : DiagnosticCodes.conflict,
        word.source,
        `${label}: '${word.text}' is ${familyLabel(wordFamily)} but the rule is ${familyLabel(family)}`,
      );
      return null;
    }
  }
  rule.family = family ?? 'ipv4';
  if (rule.table === null) {
    fail(
      words[0] as ConfigWord,
      'a rule needs a table (table N or lookup N)',
      'e.g. from 192.0.2.0/24 table 100',
    );
    return null;
  }
  if (rule.priority === null) {
    ctx.sink.report(
      DiagnosticCodes.suspicious,
      node.source,
      `${label}: rule has no priority; the kernel picks one, so rule order may change across transitions`,
      'add priority N (keepalived.conf(5) recommends it for virtual and static rules)',
      KEEPALIVED_REPORTS,
    );
  }
  return { ...rule, table: rule.table };
}
