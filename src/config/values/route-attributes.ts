// The `ip route` attributes of a virtual_routes / static_routes line beyond where the route goes,
// as keepalived 2.2.7 reads them (vrrp_iproute.c alloc_route): tos/dsfield, the RTAX metrics
// (mtu, advmss, rtt, rttvar, reordering, window, cwnd, ssthresh, rto_min, initcwnd, initrwnd,
// hoplimit, features, quickack, congctl, fastopen_no_cookie; some take `lock` first), realms
// (IPv4), pref and expires (IPv6). A bad value drops the route, as keepalived drops it, except
// an unknown `features` word, which keepalived reports and ignores.

import type { ConfigWord } from '../language/block-tree.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type { AddressFamily, RouteMetricsSpec, RouteSpec } from '../model/types.js';
import { parseDsfield, parseRealms } from './rule-route-values.js';
import type { BuildContext } from './scalars.js';
import { reportInvalid } from './scalars.js';
import type { WordReader } from './word-reader.js';

type MetricName = Exclude<keyof RouteMetricsSpec, 'lock'>;

/** Plain unsigned metrics: the most each takes, and whether `lock` may come first. */
const NUMBER_METRICS: Readonly<Record<string, { field: MetricName; max: number; lockable: boolean }>> = {
  mtu: { field: 'mtu', max: 0xffff_ffff, lockable: true },
  advmss: { field: 'advmss', max: 0xffff_ffff, lockable: true },
  reordering: { field: 'reordering', max: 0xffff_ffff, lockable: true },
  cwnd: { field: 'cwnd', max: 0xffff_ffff, lockable: true },
  ssthresh: { field: 'ssthresh', max: 0xffff_ffff, lockable: true },
  window: { field: 'window', max: 0xffff_ffff, lockable: false },
  initcwnd: { field: 'initcwnd', max: 0xffff_ffff, lockable: false },
  initrwnd: { field: 'initrwnd', max: 0xffff_ffff, lockable: false },
  hoplimit: { field: 'hoplimit', max: 255, lockable: false },
  quickack: { field: 'quickack', max: 1, lockable: false },
  fastopen_no_cookie: { field: 'fastopenNoCookie', max: 1, lockable: false },
};

/** Time metrics: the kernel's unit as a multiple of a millisecond's (rtt is kept in 1/8 ms). */
const TIME_METRICS: Readonly<Record<string, { field: MetricName; perMs: number }>> = {
  rtt: { field: 'rtt', perMs: 8 },
  rttvar: { field: 'rttvar', perMs: 4 },
  rto_min: { field: 'rtoMin', perMs: 1 },
};

/** keepalived keeps these times within 200 ms … 120 s (it resets others to the bound). */
const RTT_MIN_MS = 200;
const RTT_MAX_MS = 120_000;

export const ROUTE_ATTRIBUTE_WORDS = [
  'tos',
  'dsfield',
  ...Object.keys(NUMBER_METRICS),
  ...Object.keys(TIME_METRICS),
  'features',
  'congctl',
  'realms',
  'pref',
  'expires',
] as const;

/** Router preference names (RFC 4191 §2.1: 01 high, 00 medium, 11 low). */
const PREFERENCES: Readonly<Record<string, number>> = { low: 3, medium: 0, high: 1 };

/**
 * A time as keepalived's get_time_rtt reads it: a bare number is in the kernel's unit; with ms,
 * s, sec or secs it is converted. Returns the value in the kernel's unit, or null.
 */
export function parseRttTime(text: string, perMs: number): { value: number; clamped: boolean } | null {
  const match = /^([0-9.]+?)(m?)(s|sec|secs)?$/i.exec(text);
  if (!match) return null;
  const [, number, milli, unit] = match as unknown as [string, string, string, string | undefined];
  if (milli && !unit) return null;
  const decimals = unit && !milli ? 3 : 0;
  const parts = /^(\d*)(?:\.(\d*))?$/.exec(number as string);
  if (!parts || (parts[1] === '' && !parts[2]) || (parts[2]?.length ?? 0) > decimals) return null;
  let value = Number(`${parts[1] || '0'}${(parts[2] ?? '').padEnd(decimals, '0')}`);
  const raw = unit === undefined;
  if (value > RTT_MAX_MS * perMs) return null;
  if (!raw) value *= perMs;
  const clampedValue = Math.min(Math.max(value, RTT_MIN_MS * perMs), RTT_MAX_MS * perMs);
  return { value: clampedValue, clamped: clampedValue !== value };
}

export interface RouteAttributeState {
  /** pref/expires (IPv6) and realms (IPv4) fix the route's family as keepalived fixes it. */
  familyWord: { word: ConfigWord; family: AddressFamily } | null;
}

/** Reads `word` and its values if it is one of ours; false otherwise. */
export function readRouteAttribute(
  word: ConfigWord,
  reader: WordReader,
  route: RouteSpec,
  state: RouteAttributeState,
  label: string,
  ctx: BuildContext,
): boolean {
  const { fail, keep } = reader;
  const metrics = (): RouteMetricsSpec => (route.metrics ??= {});
  const lockIfAsked = (field: MetricName): ConfigWord | null => {
    let next = reader.value(word);
    if (next?.text === 'lock') {
      const locked = (metrics().lock ??= []);
      if (!locked.includes(field)) locked.push(field);
      next = reader.value(next);
    }
    return next;
  };
  const fixFamily = (family: AddressFamily, what: string): void => {
    if (state.familyWord && state.familyWord.family !== family) {
      fail(word, `${what} (the route is ${state.familyWord.family === 'ipv4' ? 'IPv4' : 'IPv6'})`);
    } else state.familyWord ??= { word, family };
  };
  const number = NUMBER_METRICS[word.text];
  if (number && Object.hasOwn(NUMBER_METRICS, word.text)) {
    const next = number.lockable ? lockIfAsked(number.field) : reader.value(word);
    if (!next) return true;
    if (/^\d+$/.test(next.text) && Number(next.text) <= number.max)
      metrics()[number.field] = Number(next.text) as never;
    else fail(next, `invalid ${word.text} '${next.text}' (0-${number.max})`);
    return true;
  }
  const time = Object.hasOwn(TIME_METRICS, word.text) ? TIME_METRICS[word.text] : undefined;
  if (time) {
    const next = lockIfAsked(time.field);
    if (!next) return true;
    const parsed = parseRttTime(next.text, time.perMs);
    if (!parsed) {
      fail(
        next,
        `invalid ${word.text} '${next.text}'`,
        'a time such as 300ms or 1s (up to 120 s), or a number in the kernel unit',
      );
      return true;
    }
    if (parsed.clamped) {
      ctx.sink.report(
        DiagnosticCodes.adjusted,
        next.source,
        `${label}: ${word.text} ${next.text} is outside 200 ms … 120 s and is set to the nearest bound, as keepalived sets it`,
        undefined,
        { keepalivedReports: false },
      );
    }
    (metrics() as Record<string, unknown>)[time.field] = parsed.value;
    return true;
  }
  switch (word.text) {
    case 'tos':
    case 'dsfield': {
      const next = reader.value(word);
      if (!next) return true;
      const tos = keep(parseDsfield(next, label, ctx));
      if (tos !== null) route.tos = tos;
      return true;
    }
    case 'features': {
      const next = reader.value(word);
      if (!next) return true;
      if (next.text === 'ecn') metrics().features = (metrics().features ?? 0) | 1;
      else
        reportInvalid(
          ctx,
          next.source,
          `${label}: feature '${next.text}' is not supported (only ecn)`,
          undefined,
          'ignored, as keepalived ignores it',
        );
      return true;
    }
    case 'congctl': {
      const next = lockIfAsked('congctl');
      if (next) metrics().congctl = next.text;
      return true;
    }
    case 'realms': {
      const next = reader.value(word);
      if (!next) return true;
      const realms = keep(parseRealms(next, label, ctx));
      if (realms !== null) route.realms = realms;
      fixFamily('ipv4', 'realms are only valid for IPv4');
      return true;
    }
    case 'pref': {
      const next = reader.value(word);
      if (!next) return true;
      fixFamily('ipv6', 'pref is only valid for IPv6');
      const named = Object.hasOwn(PREFERENCES, next.text) ? PREFERENCES[next.text] : undefined;
      const value = named ?? (/^\d+$/.test(next.text) && Number(next.text) <= 255 ? Number(next.text) : null);
      if (value === null) fail(next, `invalid pref '${next.text}' (low, medium, high or 0-255)`);
      else route.pref = value;
      return true;
    }
    case 'expires': {
      const next = reader.value(word);
      if (!next) return true;
      fixFamily('ipv6', 'expires is only valid for IPv6');
      if (/^\d+$/.test(next.text) && Number(next.text) <= 0xffff_ffff) route.expires = Number(next.text);
      else fail(next, `invalid expires '${next.text}' (seconds)`);
      return true;
    }
    default:
      return false;
  }
}
