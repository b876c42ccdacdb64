// One line of virtual_ipaddress / virtual_ipaddress_excluded:
//   ADDR[/PREFIX] [brd ADDR|+|-] [dev IF] [scope S] [label L] [no_track]
// The other `ip addr` options keepalived accepts change what the kernel is asked to do, and vrrpd
// does not implement them: they are refused by name rather than silently dropped.

import { familyLabel, parseAddressWithPrefix, maxPrefix } from './address.js';
import type { ConfigNode, ConfigWord } from '../language/block-tree.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type { VipSpec } from '../model/types.js';
import { didYouMean } from '../report/suggest.js';
import type { BuildContext } from './scalars.js';
import { parseAddress, parseInterfaceName } from './scalars.js';

export const VIP_OPTIONS = ['brd', 'broadcast', 'dev', 'scope', 'label', 'no_track'] as const;

/** keepalived VIP options vrrpd refuses, with the reason shown to the user. */
export const REFUSED_VIP_OPTIONS: Readonly<Record<string, string>> = {
  peer: 'point-to-point peer addresses are not implemented',
  home: 'IPv6 home-address flag is not implemented',
  '-nodad': 'IPv6 DAD control is not implemented',
  mngtmpaddr: 'IPv6 temporary-address management is not implemented',
  noprefixroute: 'prefix-route suppression is not implemented',
  autojoin: 'multicast autojoin is not implemented',
  preferred_lft: 'address lifetimes are not implemented',
  use_vmac: 'VMAC interfaces are not implemented',
  track_group: 'track groups apply to static addresses, which vrrpd does not manage',
};

/** Scope names of iproute2's rt_scopes, or a number 0-255. */
export const SCOPES = ['global', 'universe', 'site', 'link', 'host', 'nowhere'] as const;

export function isValidScope(text: string): boolean {
  return (SCOPES as readonly string[]).includes(text) || (/^\d{1,3}$/.test(text) && Number(text) <= 255);
}

export function parseVipLine(node: ConfigNode, block: string, ctx: BuildContext): VipSpec | null {
  if (node.children !== null) {
    ctx.sink.report(DiagnosticCodes.syntax, node.source, `${block} entries cannot have a { … } block`);
    return null;
  }
  const parsed = parseAddressWithPrefix(node.keyword);
  if (!parsed.ok) {
    ctx.sink.report(DiagnosticCodes.value, node.source, `${block}: ${parsed.message}`);
    return null;
  }
  const vip: VipSpec = {
    address: parsed.address,
    prefix: parsed.prefix ?? maxPrefix(parsed.family),
    family: parsed.family,
    broadcast: null,
    dev: null,
    scope: null,
    label: null,
    noTrack: false,
    source: node.source,
  };
  const words = node.args;
  let ok = true;
  for (let i = 0; i < words.length; i++) {
    const option = words[i] as ConfigWord;
    const takeValue = (): ConfigWord | null => {
      const value = words[i + 1];
      if (!value) {
        ctx.sink.report(DiagnosticCodes.value, option.source, `${block}: '${option.text}' needs a value`);
        ok = false;
        return null;
      }
      i++;
      return value;
    };
    switch (option.text) {
      case 'brd':
      case 'broadcast': {
        const value = takeValue();
        if (!value) break;
        if (value.text === '+' || value.text === '-') {
          vip.broadcast = value.text;
        } else if (parsed.family === 'ipv6') {
          ctx.sink.report(
            DiagnosticCodes.value,
            value.source,
            `${block}: IPv6 addresses have no broadcast address`,
          );
          ok = false;
        } else {
          const address = parseAddress(value, `${block} brd`, ctx, 'ipv4');
          if (address) vip.broadcast = address.address;
          else ok = false;
        }
        break;
      }
      case 'dev': {
        const value = takeValue();
        if (!value) break;
        vip.dev = parseInterfaceName(value, `${block} dev`, ctx);
        if (vip.dev === null) ok = false;
        break;
      }
      case 'scope': {
        const value = takeValue();
        if (!value) break;
        if (isValidScope(value.text)) {
          vip.scope = value.text;
        } else {
          ctx.sink.report(
            DiagnosticCodes.value,
            value.source,
            `${block}: unknown scope '${value.text}'`,
            didYouMean(value.text, SCOPES) ?? `use one of ${SCOPES.join(', ')} or a number 0-255`,
          );
          ok = false;
        }
        break;
      }
      case 'label': {
        const value = takeValue();
        if (!value) break;
        if (Buffer.byteLength(value.text) > 15) {
          ctx.sink.report(
            DiagnosticCodes.value,
            value.source,
            `${block}: label '${value.text}' is longer than 15 characters (the kernel limit)`,
          );
          ok = false;
        } else {
          vip.label = value.text;
        }
        break;
      }
      case 'no_track':
        vip.noTrack = true;
        break;
      default:
        ok = false;
        reportUnknownOption(option, block, ctx, parsed.family);
    }
  }
  return ok ? vip : null;
}

function reportUnknownOption(
  option: ConfigWord,
  block: string,
  ctx: BuildContext,
  family: VipSpec['family'],
): void {
  const refusal = REFUSED_VIP_OPTIONS[option.text];
  if (refusal) {
    ctx.sink.report(
      DiagnosticCodes.unsupported,
      option.source,
      `${block} option '${option.text}' is not supported by vrrpd: ${refusal}`,
    );
    return;
  }
  const looksLikeAddress = parseAddressWithPrefix(option.text).ok;
  ctx.sink.report(
    DiagnosticCodes.value,
    option.source,
    `${block}: unknown option '${option.text}'`,
    looksLikeAddress
      ? `write one ${familyLabel(family)} address per line`
      : (didYouMean(option.text, [...VIP_OPTIONS, ...Object.keys(REFUSED_VIP_OPTIONS)]) ??
          `options are ${VIP_OPTIONS.join(', ')}`),
  );
}
