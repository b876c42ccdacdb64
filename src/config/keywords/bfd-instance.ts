// bfd_instance NAME { … } (keepalived 2.2.7 bfd_parser.c, limits and defaults bfd.h): one BFD
// session (RFC 5880 asynchronous mode, RFC 5881 single hop) to a neighbour. Instances and sync
// groups track it with `track_bfd { NAME [weight W [reverse]] }`. keepalived reports a bad value
// and keeps the default; so does vrrpd. Intervals are milliseconds with up to 3 decimals.

import type { ConfigWord } from '../language/block-tree.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import { addressFamily } from '../values/address.js';
import type { BfdInstanceDraft } from './drafts.js';
import type { BuildContext } from '../values/scalars.js';
import { parseAddress, parseInteger, reportInvalid } from '../values/scalars.js';
import type { KeywordSpec, KeywordTable } from './types.js';

type B = BfdInstanceDraft;

const SKIPPED = 'ignored (the default stays), as keepalived ignores it';
/** keepalived reads intervals into a 32-bit count of µs. */
const INTERVAL_MAX_MS = Math.floor(0xffffffff / 1000);

/**
 * keepalived's read_decimal_unsigned_strvec with 3 decimals: `10`, `0.5`, `2.125` ms, returned
 * in µs. More decimals are reported and rounded, as keepalived rounds them.
 */
export function parseBfdIntervalUs(
  word: ConfigWord,
  label: string,
  minMs: number,
  ctx: BuildContext,
): number | null {
  const match = /^(\d*)(?:\.(\d*))?$/.exec(word.text);
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) {
    reportInvalid(ctx, word.source, `${label} expects milliseconds, got '${word.text}'`, undefined, SKIPPED);
    return null;
  }
  const decimals = match[2] ?? '';
  let us = Number(match[1] || '0') * 1000 + Number(decimals.slice(0, 3).padEnd(3, '0'));
  if (decimals.length > 3) {
    if (decimals.charAt(3) >= '5') us += 1;
    ctx.sink.report(
      DiagnosticCodes.adjusted,
      word.source,
      `${label} '${word.text}' has more than 3 decimal places: ${us / 1000} ms is used, as keepalived rounds it`,
      undefined,
      { keepalivedReports: true },
    );
  }
  if (us < minMs * 1000 || us > INTERVAL_MAX_MS * 1000) {
    reportInvalid(
      ctx,
      word.source,
      `${label} ${word.text} is not valid (must be in range [${minMs}-${INTERVAL_MAX_MS}] ms)`,
      undefined,
      SKIPPED,
    );
    return null;
  }
  return us;
}

function interval(
  name: 'min_rx' | 'min_tx' | 'idle_tx',
  minMs: number,
  defaultValue: string,
  doc: string,
  set: (draft: B, us: number) => void,
): KeywordSpec<B> {
  return {
    name,
    status: 'supported',
    syntax: `<${minMs}..${INTERVAL_MAX_MS} ms>`,
    defaultValue,
    doc,
    arity: [1, 1],
    apply: (node, draft, ctx) => {
      const us = parseBfdIntervalUs(node.args[0]!, `${name} of bfd_instance ${draft.name}`, minMs, ctx);
      if (us !== null) set(draft, us);
    },
  };
}

function neighbor(name: 'neighbor_ip' | 'neighbour_ip'): KeywordSpec<B> {
  return {
    name,
    status: 'supported',
    syntax: '<IP>',
    doc:
      name === 'neighbor_ip'
        ? 'The neighbour the session runs to (required): IPv4 or IPv6, UDP port 3784.'
        : 'British spelling of neighbor_ip.',
    arity: [1, 1],
    apply: (node, draft, ctx) => {
      const word = node.args[0]!;
      const family = addressFamily(word.text);
      if (family) {
        draft.neighbor = { address: word.text.toLowerCase(), family, source: node.source };
        return;
      }
      // keepalived's BFD process drops the instance; its VRRP process still knows the name, so a
      // track_bfd naming it stays down.
      draft.broken = true;
      reportInvalid(
        ctx,
        word.source,
        `bfd_instance ${draft.name} has a malformed ${name} address '${word.text}'`,
        'an IPv4 or IPv6 address',
        'the session is not run, as keepalived ignores the instance; a track_bfd naming it stays down',
      );
    },
  };
}

function integer(
  name: 'multiplier' | 'ttl' | 'hoplimit' | 'max_hops',
  range: { min: number; max: number },
  defaultValue: string,
  doc: string,
  set: (draft: B, value: number) => void,
): KeywordSpec<B> {
  return {
    name,
    status: 'supported',
    syntax: `<${range.min}..${range.max}>`,
    defaultValue,
    doc,
    arity: [1, 1],
    apply: (node, draft, ctx) => {
      const value = parseInteger(node.args[0]!, `${name} of bfd_instance ${draft.name}`, range, ctx, {
        consequence: SKIPPED,
      });
      if (value !== null) set(draft, value);
    },
  };
}

export const BFD_INSTANCE_TABLE: KeywordTable<B> = {
  block: 'bfd_instance',
  keywords: [
    neighbor('neighbor_ip'),
    neighbor('neighbour_ip'),
    {
      name: 'source_ip',
      status: 'supported',
      syntax: '<IP>',
      doc: 'The local address the session is sent from (same family as the neighbour).',
      arity: [1, 1],
      apply: (node, draft, ctx) => {
        const parsed = parseAddress(node.args[0]!, `source_ip of bfd_instance ${draft.name}`, ctx);
        if (parsed) draft.sourceIp = { ...parsed, source: node.source };
      },
    },
    interval(
      'min_rx',
      1,
      '10',
      'Required Min RX Interval: the fastest this end accepts packets, in ms.',
      (d, us) => {
        d.minRxUs = us;
      },
    ),
    interval('min_tx', 1, '10', 'Desired Min TX Interval while the session is Up, in ms.', (d, us) => {
      d.minTxUs = us;
    }),
    interval(
      'idle_tx',
      1000,
      '1000',
      'Desired Min TX Interval while the session is not Up, in ms (RFC 5880 §6.8.3: at least 1 s).',
      (d, us) => {
        d.idleTxUs = us;
      },
    ),
    integer(
      'multiplier',
      { min: 1, max: 255 },
      '5',
      'Detect Mult: packets missed before the session is declared Down.',
      (d, v) => {
        d.multiplier = v;
      },
    ),
    {
      name: 'passive',
      status: 'supported',
      syntax: '',
      doc: 'Do not send until the neighbour has been heard (RFC 5880 passive role).',
      apply: (_node, draft) => {
        draft.passive = true;
      },
    },
    integer(
      'ttl',
      { min: 1, max: 255 },
      '255 (IPv4)',
      'TTL of the packets sent (RFC 5881 §5: 255).',
      (d, v) => {
        d.ttl = v;
      },
    ),
    integer(
      'hoplimit',
      { min: 1, max: 255 },
      '64 (IPv6)',
      'Hop limit of the packets sent (keepalived’s IPv6 spelling of ttl).',
      (d, v) => {
        d.ttl = v;
      },
    ),
    integer(
      'max_hops',
      { min: -1, max: 255 },
      '0',
      'Hops a received packet may have crossed: keepalived drops one whose TTL is below ttl − max_hops (0: the TTL sent, as RFC 5881 §5 asks). Read but not enforced by vrrpd (see Differences from keepalived).',
      (d, v) => {
        d.maxHops = v;
      },
    ),
    {
      name: 'weight',
      status: 'supported',
      syntax: '<-253..253> [reverse]',
      defaultValue: '0',
      doc: 'Default weight of the track_bfd entries naming this instance: 0 means FAULT while the session is not Up; >0 added while Up; <0 added while not Up.',
      arity: [1, 2],
      apply: (node, draft, ctx) => {
        const [value, option] = node.args;
        const weight = parseInteger(
          value!,
          `weight of bfd_instance ${draft.name}`,
          { min: -253, max: 253 },
          ctx,
          {
            consequence: SKIPPED,
            leadingNumber: true,
          },
        );
        if (weight !== null) draft.weight = weight;
        if (option?.text === 'reverse') draft.weightReverse = true;
        else if (option)
          reportInvalid(
            ctx,
            option.source,
            `bfd_instance ${draft.name}: unknown weight option '${option.text}'`,
            "only 'reverse'",
            'the option is ignored, as keepalived ignores it',
          );
      },
    },
    {
      name: 'vrrp',
      status: 'supported',
      syntax: '',
      doc: 'Send this session’s events to the VRRP side (the default unless `checker` alone is written).',
      apply: (_node, draft) => {
        draft.forVrrp = true;
      },
    },
    {
      name: 'checker',
      status: 'supported',
      syntax: '',
      doc: 'Send this session’s events to keepalived’s checkers (LVS, not in vrrpd): written alone, VRRP instances cannot track it.',
      apply: (_node, draft) => {
        draft.forChecker = true;
      },
    },
  ],
};
