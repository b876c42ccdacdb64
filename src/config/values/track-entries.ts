// Entries of the list blocks that name things: track_interface, track_script, track_file (in an
// instance or a sync group), unicast_peer and a sync group's `group`.
//   track_interface { IF [weight W [reverse|noreverse]] }       W in -253..253
//   track_script    { NAME [weight W [reverse|noreverse]] }     W in -253..253
//   track_file      { NAME [weight W [reverse|noreverse]] }     W in -254..254
//   track_bfd       { NAME [weight W [reverse|noreverse]] }     W in -253..253
//   unicast_peer    { ADDR [min_ttl N] [max_ttl N] }
//   group           { INSTANCE … }                              several names per line allowed

import type { ConfigNode, ConfigWord } from '../language/block-tree.js';
import { DiagnosticCodes, KEEPALIVED_REPORTS } from '../report/diagnostics.js';
import type { AddressFamily, TrackedInterface, TrackReference } from '../model/types.js';
import type { BuildContext } from './scalars.js';
import { stripMaskOrRange } from './address.js';
import { parseAddress, parseInteger, parseInterfaceName, reportInvalid } from './scalars.js';

const REVERSE_WORDS = new Set(['reverse']);
const NO_REVERSE_WORDS = new Set(['noreverse', 'no_reverse']);

interface WeightOptions {
  weight: number | null;
  reverse: boolean;
}

function parseWeightOptions(
  node: ConfigNode,
  block: string,
  limit: number,
  ctx: BuildContext,
): WeightOptions | null {
  const result: WeightOptions = { weight: null, reverse: false };
  const words = node.args;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as ConfigWord;
    if (word.text === 'weight') {
      const value = words[i + 1];
      if (!value) {
        reportInvalid(ctx, word.source, `${block}: 'weight' needs a value`);
        return null;
      }
      i++;
      // keepalived keeps the entry with the tracked object's own weight when this one is invalid.
      const weight = parseInteger(value, `${block} weight`, { min: -limit, max: limit }, ctx, {
        consequence: `the entry is kept with the default weight, as keepalived keeps it`,
        leadingNumber: true,
      });
      if (weight === null && !ctx.lenient) return null;
      result.weight = weight;
    } else if (REVERSE_WORDS.has(word.text)) {
      result.reverse = true;
    } else if (NO_REVERSE_WORDS.has(word.text)) {
      result.reverse = false;
    } else {
      reportInvalid(
        ctx,
        word.source,
        `${block}: unexpected '${word.text}' after '${node.keyword}'`,
        `syntax: NAME [weight <-${limit}..${limit}>] [reverse]; one entry per line`,
      );
      return null;
    }
  }
  return result;
}

function noBlock(node: ConfigNode, block: string, ctx: BuildContext): boolean {
  if (node.children === null) return true;
  ctx.sink.report(DiagnosticCodes.syntax, node.source, `${block} entries cannot have a { … } block`);
  return false;
}

export function parseTrackInterface(node: ConfigNode, ctx: BuildContext): TrackedInterface | null {
  const block = 'track_interface';
  if (!noBlock(node, block, ctx)) return null;
  const name = parseInterfaceName({ text: node.keyword, source: node.source }, block, ctx);
  const options = parseWeightOptions(node, block, 253, ctx);
  if (name === null || options === null) return null;
  return { name, weight: options.weight ?? 0, reverse: options.reverse, source: node.source };
}

type ReferenceBlock = 'track_script' | 'track_file' | 'track_process' | 'track_bfd';

/**
 * `NAME [weight W [reverse|noreverse]]`, read as keepalived 2.2.7 reads it (vrrp_track.c,
 * track_file.c: alloc_track_script and its siblings): an option other than `weight`, or `weight`
 * without a value, drops the entry; a bad weight keeps the entry with the tracked object's own;
 * a third word other than reverse/noreverse is reported and ignored (for track_bfd it drops the
 * entry). Without the third word the tracked object's own `reverse` applies.
 */
export function parseTrackReference(
  node: ConfigNode,
  block: ReferenceBlock,
  ctx: BuildContext,
): TrackReference | null {
  if (!noBlock(node, block, ctx)) return null;
  const [option, value, direction] = node.args;
  const reference: TrackReference = { name: node.keyword, weight: null, reverse: null, source: node.source };
  if (!option) return reference;
  // keepalived reads a track_script weight in -254..254 and then makes ±254 ±253.
  const limit = block === 'track_bfd' ? 253 : 254;
  const syntax = `syntax: NAME [weight <-${limit}..${limit}> [reverse|noreverse]]`;
  const dropped = 'the entry is ignored, as keepalived ignores it';
  if (option.text !== 'weight') {
    reportInvalid(
      ctx,
      option.source,
      `unknown ${block} ${node.keyword} option '${option.text}'`,
      syntax,
      dropped,
    );
    return null;
  }
  if (!value) {
    reportInvalid(ctx, option.source, `${block} ${node.keyword}: 'weight' needs a value`, syntax, dropped);
    return null;
  }
  const weight = parseInteger(value, `${block} weight`, { min: -limit, max: limit }, ctx, {
    consequence: `the entry is kept with the default weight, as keepalived keeps it`,
    leadingNumber: true,
  });
  if (weight === null && !ctx.lenient) return null;
  if (block === 'track_script' && (weight === 254 || weight === -254)) {
    ctx.sink.report(
      DiagnosticCodes.adjusted,
      value.source,
      `track_script ${node.keyword}: weight cannot be ${weight}: ${weight > 0 ? 253 : -253} is used, as keepalived sets it`,
      undefined,
      KEEPALIVED_REPORTS,
    );
    reference.weight = weight > 0 ? 253 : -253;
  } else reference.weight = weight;
  if (!direction) return reference;
  if (direction.text === 'reverse' || direction.text === 'noreverse') {
    reference.reverse = direction.text === 'reverse';
    return reference;
  }
  reportInvalid(
    ctx,
    direction.source,
    `unknown ${block} ${node.keyword} weight option '${direction.text}'`,
    'reverse or noreverse',
    block === 'track_bfd' ? dropped : 'the option is ignored, as keepalived ignores it',
  );
  return block === 'track_bfd' ? null : reference;
}

export interface UnicastPeerEntry {
  address: string;
  family: AddressFamily;
  /** min_ttl/max_ttl given on the line (keepalived's per-peer TTL window), else null. */
  ttl: { min: number; max: number } | null;
}

const TTL_OPTIONS = new Set(['min_ttl', 'max_ttl']);

/**
 * `ADDR [min_ttl N] [max_ttl N]`, keepalived's per-peer TTL window (vrrp_data.c): a bad value skips
 * that option, a missing value or an unknown option stops reading the line; the peer is kept.
 */
export function parseUnicastPeer(
  node: ConfigNode,
  family: AddressFamily | null,
  ctx: BuildContext,
): UnicastPeerEntry | null {
  const block = 'unicast_peer';
  if (!noBlock(node, block, ctx)) return null;
  const word = strippedAddressWord({ text: node.keyword, source: node.source }, block, ctx);
  const parsed = parseAddress(word, block, ctx, family ?? undefined);
  if (!parsed) return null;
  let min: number | null = null;
  let max: number | null = null;
  const args = node.args;
  for (let i = 0; i < args.length; i += 2) {
    const option = args[i]!;
    const value = args[i + 1];
    if (!TTL_OPTIONS.has(option.text)) {
      reportInvalid(
        ctx,
        option.source,
        `unknown unicast_peer option '${option.text}' after ${node.keyword}`,
        'options are min_ttl N and max_ttl N',
        'the rest of the line is ignored, as keepalived ignores it; the peer is kept',
      );
      break;
    }
    if (!value) {
      reportInvalid(
        ctx,
        option.source,
        `unicast_peer ${node.keyword}: ${option.text} is missing a value`,
        undefined,
        'ignored, as keepalived ignores it; the peer is kept',
      );
      break;
    }
    const ttl = parseInteger(
      value,
      `unicast_peer ${node.keyword} ${option.text}`,
      { min: 0, max: 255 },
      ctx,
      {
        consequence: 'that option is ignored, as keepalived ignores it; the peer is kept',
      },
    );
    if (ttl === null) continue;
    if (option.text === 'min_ttl') min = ttl;
    else max = ttl;
  }
  const ttl = min === null && max === null ? null : { min: min ?? 0, max: max ?? 255 };
  if (ttl && ttl.min > ttl.max) {
    ctx.sink.report(
      DiagnosticCodes.suspicious,
      node.source,
      `unicast_peer ${node.keyword}: min_ttl ${ttl.min} > max_ttl ${ttl.max} - every advert from it will be dropped`,
      'swap the two values',
      KEEPALIVED_REPORTS,
    );
  }
  return { ...parsed, ttl };
}

/**
 * unicast_src_ip, mcast_src_ip and unicast_peer addresses written with a mask or a range: keepalived
 * uses the address before it, silently; vrrpd does the same and says so.
 */
export function strippedAddressWord(word: ConfigWord, label: string, ctx: BuildContext): ConfigWord {
  const { address, cut } = stripMaskOrRange(word.text);
  if (cut === null || !ctx.lenient) return word;
  ctx.sink.report(
    DiagnosticCodes.adjusted,
    word.source,
    `${label} ${word.text}: '${cut}' is dropped and ${address} is used, as keepalived uses it`,
    cut.startsWith('-')
      ? 'keepalived does not expand ranges here: list each peer on its own line'
      : 'a mask means nothing here: write the bare address',
  );
  return { text: address, source: word.source };
}

/** `group { VI_1 VI_2 }`: every word of every line is an instance name. */
export function groupMemberWords(node: ConfigNode): ConfigWord[] {
  return [{ text: node.keyword, source: node.source }, ...node.args];
}
