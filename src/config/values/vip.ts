// One line of virtual_ipaddress / virtual_ipaddress_excluded / static_ipaddress:
//   ADDR[/PREFIX] [brd ADDR|+|-] [dev IF] [scope S] [label L] [no_track] [use_vmac]
//   [peer ADDR] [home] [-nodad] [mngtmpaddr] [noprefixroute] [autojoin] [preferred_lft N|forever]
// (the flag options: vip-flags.ts). `track_group` belongs to static_ipaddress only
// (static-entries.ts takes it off the line first); on a virtual address keepalived reports it
// and its value as unknown words and keeps the address, and so does vrrpd.

import { addressFamily, familyLabel, maxPrefix, parseAddressWithPrefix } from './address.js';
import type { ConfigNode, ConfigWord } from '../language/block-tree.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type { AddressFamily, VipSpec } from '../model/types.js';
import { didYouMean } from '../report/suggest.js';
import type { BuildContext } from './scalars.js';
import { interfaceNameProblem, reportInvalid } from './scalars.js';
import {
  finishVipFlags,
  readVipFlag,
  VIP_FLAG_VALUE_OPTIONS,
  VIP_FLAG_WORDS,
  type VipFlagState,
} from './vip-flags.js';

export const VIP_OPTIONS = [
  'brd',
  'broadcast',
  'dev',
  'scope',
  'label',
  'no_track',
  'use_vmac',
  ...Object.keys(VIP_FLAG_WORDS),
  ...VIP_FLAG_VALUE_OPTIONS,
] as const;

/** Scope names of iproute2's rt_scopes, or a number 0-255. */
export const SCOPES = ['global', 'universe', 'site', 'link', 'host', 'nowhere'] as const;

export function isValidScope(text: string): boolean {
  return (SCOPES as readonly string[]).includes(text) || (/^\d{1,3}$/.test(text) && Number(text) <= 255);
}

/**
 * One address line. What keepalived (alloc_ipaddress) does with a mistake is followed: a bad
 * address, device, broadcast or label drops the line; a bad prefix length falls back to the host
 * prefix; an unknown word or a bad scope is ignored and the address kept.
 */
export function parseVipLine(node: ConfigNode, block: string, ctx: BuildContext): VipSpec | null {
  if (node.children !== null) {
    ctx.sink.report(DiagnosticCodes.syntax, node.source, `${block} entries cannot have a { … } block`);
    return null;
  }
  const parsed = parseVipAddress(node, block, ctx);
  if (!parsed) return null;
  const vip: VipSpec = {
    address: parsed.address,
    prefix: parsed.prefix,
    family: parsed.family,
    broadcast: null,
    dev: null,
    scope: null,
    label: null,
    noTrack: false,
    source: node.source,
  };
  const words = node.args;
  const flagState: VipFlagState = { preferredLifetime: null, broadcastGiven: false };
  /** A mistake that makes keepalived drop the whole line. */
  const dropLine = (at: ConfigWord, message: string, hint?: string): null => {
    reportInvalid(
      ctx,
      at.source,
      `${block}: ${message}`,
      hint,
      'the address is skipped, as keepalived skips it',
    );
    return null;
  };
  /** A mistake keepalived reports and then ignores, keeping the address. */
  const ignoreWord = (at: ConfigWord, message: string, hint?: string): void => {
    reportInvalid(
      ctx,
      at.source,
      `${block}: ${message}`,
      hint,
      'ignored, and the address is kept, as keepalived keeps it',
    );
  };
  for (let i = 0; i < words.length; i++) {
    const option = words[i] as ConfigWord;
    const value = VALUE_OPTIONS.has(option.text) ? words[++i] : undefined;
    if (VALUE_OPTIONS.has(option.text) && value === undefined) {
      return dropLine(option, `'${option.text}' needs a value`);
    }
    switch (option.text) {
      case 'brd':
      case 'broadcast': {
        const text = (value as ConfigWord).text;
        flagState.broadcastGiven = true;
        if (text === '+' || text === '-') {
          vip.broadcast = text;
        } else if (parsed.family === 'ipv6') {
          return dropLine(value as ConfigWord, 'IPv6 addresses have no broadcast address');
        } else {
          if (addressFamily(text) !== 'ipv4') {
            return dropLine(value as ConfigWord, `brd '${text}' is not an IPv4 address`);
          }
          vip.broadcast = text;
        }
        break;
      }
      case 'dev': {
        if (vip.dev !== null) return dropLine(option, "'dev' is given twice");
        const name = interfaceNameProblem((value as ConfigWord).text);
        if (name) return dropLine(value as ConfigWord, `dev '${(value as ConfigWord).text}' ${name}`);
        vip.dev = (value as ConfigWord).text;
        break;
      }
      case 'scope': {
        const text = (value as ConfigWord).text;
        if (isValidScope(text)) vip.scope = text;
        else
          ignoreWord(
            value as ConfigWord,
            `unknown scope '${text}'`,
            didYouMean(text, SCOPES) ?? `use one of ${SCOPES.join(', ')} or a number 0-255`,
          );
        break;
      }
      case 'label': {
        const text = (value as ConfigWord).text;
        if (Buffer.byteLength(text) > 15) {
          return dropLine(
            value as ConfigWord,
            `label '${text}' is longer than 15 characters (the kernel limit)`,
          );
        }
        vip.label = text;
        break;
      }
      case 'no_track':
        vip.noTrack = true;
        break;
      case 'use_vmac':
        // keepalived reads it on virtual addresses only; on a static one it is an unknown word.
        if (block !== 'static_ipaddress') {
          vip.useVmac = true;
          break;
        }
        ignoreWord(option, `unknown option '${option.text}'`, 'use_vmac applies to virtual addresses only');
        break;
      default: {
        if (readVipFlag(option, value, vip, flagState, block, ctx)) break;
        ignoreWord(option, `unknown option '${option.text}'`, unknownOptionHint(option, parsed.family));
      }
    }
  }
  if (vip.family === 'ipv6') dropIpv6Extras(vip, block, ctx);
  finishVipFlags(vip, flagState, block, ctx);
  return vip;
}

const VALUE_OPTIONS = new Set<string>([
  'brd',
  'broadcast',
  'dev',
  'scope',
  'label',
  ...VIP_FLAG_VALUE_OPTIONS,
]);

/** The address and prefix; a bad prefix length falls back to the host prefix, as in keepalived. */
function parseVipAddress(
  node: ConfigNode,
  block: string,
  ctx: BuildContext,
): { address: string; prefix: number; family: AddressFamily } | null {
  const parsed = parseAddressWithPrefix(node.keyword);
  if (parsed.ok) return { ...parsed, prefix: parsed.prefix ?? maxPrefix(parsed.family) };
  const slash = node.keyword.indexOf('/');
  const bare = parseAddressWithPrefix(slash === -1 ? node.keyword : node.keyword.slice(0, slash));
  if (!bare.ok || !ctx.lenient) {
    reportInvalid(
      ctx,
      node.source,
      `${block}: ${parsed.message}`,
      undefined,
      'the address is skipped, as keepalived skips it',
    );
    return null;
  }
  const prefix = maxPrefix(bare.family);
  reportInvalid(
    ctx,
    node.source,
    `${block}: ${parsed.message}`,
    `write ${bare.address}/${prefix} if a host address is meant`,
    `the address is added as /${prefix}, as keepalived adds it`,
  );
  return { address: bare.address, prefix, family: bare.family };
}

/** keepalived drops a scope or label given to an IPv6 address (the kernel has neither for it). */
function dropIpv6Extras(vip: VipSpec, block: string, ctx: BuildContext): void {
  for (const [field, keyword] of [
    ['scope', 'scope'],
    ['label', 'label'],
  ] as const) {
    if (vip[field] === null) continue;
    vip[field] = null;
    reportInvalid(
      ctx,
      vip.source,
      `${block}: IPv6 address ${vip.address} cannot have a ${keyword}`,
      undefined,
      `the ${keyword} is ignored, as keepalived ignores it`,
    );
  }
}

function unknownOptionHint(option: ConfigWord, family: VipSpec['family']): string {
  const looksLikeAddress = parseAddressWithPrefix(option.text).ok;
  return looksLikeAddress
    ? `write one ${familyLabel(family)} address per line`
    : (didYouMean(option.text, VIP_OPTIONS) ?? `options are ${VIP_OPTIONS.join(', ')}`);
}
