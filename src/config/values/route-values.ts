// Routing-table and route-protocol names. keepalived resolves names through /etc/iproute2/rt_tables
// and rt_protos; the parser is pure, so it knows iproute2's built-in names and asks for numbers
// otherwise (a custom name would silently mean nothing if the daemon's host lacked the file).

import type { ConfigWord } from '../language/block-tree.js';
import type { BuildContext } from './scalars.js';
import { reportInvalid } from './scalars.js';

export const TABLE_NAMES: Readonly<Record<string, number>> = { default: 253, main: 254, local: 255 };

/** iproute2's built-in protocol names (rt_protos), including keepalived's own (18). */
export const PROTOCOL_NAMES: Readonly<Record<string, number>> = {
  redirect: 1,
  kernel: 2,
  boot: 3,
  static: 4,
  gated: 8,
  ra: 9,
  mrt: 10,
  zebra: 11,
  bird: 12,
  dnrouted: 13,
  xorp: 14,
  ntk: 15,
  dhcp: 16,
  keepalived: 18,
  babel: 42,
  bgp: 186,
  isis: 187,
  ospf: 188,
  rip: 189,
  eigrp: 192,
};

const UINT32_MAX = 0xffff_ffff;

function parseUnsigned(text: string, max: number): number | null {
  if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(text)) return null;
  const value = Number(text);
  return value <= max ? value : null;
}

export function parseTable(word: ConfigWord, label: string, ctx: BuildContext): number | null {
  const named = TABLE_NAMES[word.text];
  if (named !== undefined) return named;
  const value = parseUnsigned(word.text, UINT32_MAX);
  if (value === null) {
    reportInvalid(
      ctx,
      word.source,
      `${label}: routing table '${word.text}' is not a number or one of main, local, default`,
      'use the table number: vrrpd does not read /etc/iproute2/rt_tables',
    );
  }
  return value;
}

export function parseProtocol(word: ConfigWord, label: string, ctx: BuildContext): number | null {
  const named = PROTOCOL_NAMES[word.text];
  if (named !== undefined) return named;
  const value = parseUnsigned(word.text, 255);
  if (value === null) {
    reportInvalid(
      ctx,
      word.source,
      `${label}: route protocol '${word.text}' is not a number 0-255 or a standard name`,
      `standard names: ${Object.keys(PROTOCOL_NAMES).join(', ')}`,
    );
  }
  return value;
}

/** A 32-bit unsigned number (metric, rule priority, fwmark) in decimal or 0x hex. */
export function parseUint32(word: ConfigWord, label: string, ctx: BuildContext): number | null {
  const value = parseUnsigned(word.text, UINT32_MAX);
  if (value === null) {
    reportInvalid(ctx, word.source, `${label} expects a number 0-${UINT32_MAX}, got '${word.text}'`);
  }
  return value;
}
