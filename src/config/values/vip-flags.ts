// The `ip addr` options of a virtual_ipaddress / static_ipaddress line that only set address
// flags or lifetimes (keepalived 2.2.7 alloc_ipaddress): home, -nodad, mngtmpaddr, noprefixroute,
// autojoin, and the two that take a value, peer ADDR and preferred_lft SECONDS|forever. A bad
// value is reported and ignored, the address kept, as keepalived keeps it.

import { addressFamily, familyLabel, maxPrefix } from './address.js';
import type { ConfigWord } from '../language/block-tree.js';
import type { VipSpec } from '../model/types.js';
import type { BuildContext } from './scalars.js';
import { reportInvalid } from './scalars.js';

/** Flag words: the VipSpec field each one sets. */
export const VIP_FLAG_WORDS = {
  home: 'homeAddress',
  '-nodad': 'dad',
  mngtmpaddr: 'manageTempAddress',
  noprefixroute: 'noPrefixRoute',
  autojoin: 'autoJoin',
} as const satisfies Record<string, keyof VipSpec>;

/** Options of this module that take the following word as their value. */
export const VIP_FLAG_VALUE_OPTIONS = ['peer', 'preferred_lft'] as const;

/** INFINITY_LIFE_TIME: IFA_CACHEINFO's "forever". */
export const FOREVER_LIFETIME = 0xffff_ffff;

/** Working state of one line: what was written, before the defaults are applied. */
export interface VipFlagState {
  preferredLifetime: number | null;
  broadcastGiven: boolean;
}

function ignored(ctx: BuildContext, at: ConfigWord, block: string, message: string): void {
  reportInvalid(
    ctx,
    at.source,
    `${block}: ${message}`,
    undefined,
    'ignored, and the address is kept, as keepalived keeps it',
  );
}

/** Handles one flag or valued option; false if `option` is none of them. */
export function readVipFlag(
  option: ConfigWord,
  value: ConfigWord | undefined,
  vip: VipSpec,
  state: VipFlagState,
  block: string,
  ctx: BuildContext,
): boolean {
  const flag = (VIP_FLAG_WORDS as Record<string, keyof VipSpec>)[option.text];
  if (flag) {
    (vip as unknown as Record<string, boolean>)[flag] = true;
    return true;
  }
  if (option.text === 'peer') {
    readPeer(value as ConfigWord, vip, block, ctx);
    return true;
  }
  if (option.text === 'preferred_lft') {
    const text = (value as ConfigWord).text;
    if (text === 'forever') state.preferredLifetime = FOREVER_LIFETIME;
    else if (/^\d+$/.test(text) && Number(text) <= FOREVER_LIFETIME) state.preferredLifetime = Number(text);
    else
      ignored(
        ctx,
        value as ConfigWord,
        block,
        `preferred_lft ${text} is invalid (seconds 0-4294967295 or forever)`,
      );
    return true;
  }
  return false;
}

/** peer ADDR: a bare address of the line's family; the address itself becomes a host address. */
function readPeer(value: ConfigWord, vip: VipSpec, block: string, ctx: BuildContext): void {
  if (vip.peer !== undefined) {
    ignored(ctx, value, block, `peer ${value.text}: another peer has already been specified`);
    return;
  }
  const family = addressFamily(value.text);
  if (!family) {
    ignored(ctx, value, block, `invalid peer address ${value.text} (a peer takes no /prefix)`);
    return;
  }
  if (family !== vip.family) {
    ignored(ctx, value, block, `peer address ${value.text} is not ${familyLabel(vip.family)}`);
    return;
  }
  if (vip.prefix !== maxPrefix(vip.family)) {
    reportInvalid(
      ctx,
      value.source,
      `${block}: ${vip.address}/${vip.prefix} cannot have a prefix length with a peer address`,
      `write ${vip.address} peer ${value.text}`,
      `the address is added as /${maxPrefix(vip.family)}, as keepalived adds it`,
    );
  }
  vip.prefix = maxPrefix(vip.family);
  vip.peer = family === 'ipv6' ? value.text.toLowerCase() : value.text;
}

/**
 * What keepalived decides once the line is read: a peer and a broadcast address do not go
 * together (the broadcast is dropped); an IPv6 address's preferred lifetime defaults to 0 for a
 * /128 (deprecated) and forever otherwise; IPv4 addresses have none.
 */
export function finishVipFlags(vip: VipSpec, state: VipFlagState, block: string, ctx: BuildContext): void {
  if (vip.peer !== undefined && state.broadcastGiven) {
    vip.broadcast = null;
    reportInvalid(
      ctx,
      vip.source,
      `${block}: ${vip.address} cannot have both a broadcast and a peer address`,
      undefined,
      'the broadcast address is ignored, as keepalived ignores it',
    );
  }
  if (vip.family !== 'ipv6') return;
  const lifetime = state.preferredLifetime ?? (vip.prefix === 128 ? 0 : FOREVER_LIFETIME);
  if (lifetime !== FOREVER_LIFETIME) vip.preferredLifetime = lifetime;
}
