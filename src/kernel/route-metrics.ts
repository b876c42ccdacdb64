// RTA_METRICS: a route's RTAX_* metrics (linux/rtnetlink.h), nested attributes of one u32 each,
// except RTAX_CC_ALGO (the congestion control's name) and RTAX_LOCK (a mask of 1 << RTAX_x for
// the metrics TCP must not change). keepalived's mtu, advmss, rtt, … on a route line.

import type { rt } from './netlink-package.js';
import { cString, readCString, readU32, u32 } from './netlink-attributes.js';

/** The metrics by the RTAX_* number of each. */
export const RTAX = {
  mtu: 2,
  window: 3,
  rtt: 4,
  rttvar: 5,
  ssthresh: 6,
  cwnd: 7,
  advmss: 8,
  reordering: 9,
  hoplimit: 10,
  initcwnd: 11,
  features: 12,
  rtoMin: 13,
  initrwnd: 14,
  quickack: 15,
  congctl: 16,
  fastopenNoCookie: 17,
} as const;
export type MetricName = keyof typeof RTAX;

export type RouteMetricValues = { [K in Exclude<MetricName, 'congctl'>]?: number } & {
  congctl?: string;
  /** Metrics locked against TCP's own estimates (RTAX_LOCK). */
  lock?: MetricName[];
};

/** The netlink package's field for each metric (its names differ for two of them). */
const FIELD: Record<MetricName, keyof rt.RouteMetrics> = {
  mtu: 'mtu',
  window: 'window',
  rtt: 'rtt',
  rttvar: 'rttvar',
  ssthresh: 'ssthresh',
  cwnd: 'cwnd',
  advmss: 'advmss',
  reordering: 'reordering',
  hoplimit: 'hoplimit',
  initcwnd: 'initcwnd',
  features: 'features',
  rtoMin: 'rtoMin',
  initrwnd: 'initrwnd',
  quickack: 'quickack',
  congctl: 'ccAlgo',
  fastopenNoCookie: 'fastopenNoCookie',
};

/** RTA_METRICS's contents; undefined when there is nothing to send. */
export function encodeMetrics(metrics: RouteMetricValues): rt.RouteMetrics | undefined {
  const out: rt.RouteMetrics = {};
  for (const name of Object.keys(RTAX) as MetricName[]) {
    const value = metrics[name];
    if (value === undefined) continue;
    (out as Record<string, Buffer>)[FIELD[name]] = typeof value === 'string' ? cString(value) : u32(value);
  }
  if (Object.keys(out).length === 0) return undefined;
  const lock = (metrics.lock ?? []).reduce((mask, name) => mask | (1 << RTAX[name]), 0);
  if (lock !== 0) out.lock = u32(lock);
  return out;
}

export function decodeMetrics(metrics: rt.RouteMetrics): RouteMetricValues {
  const out: RouteMetricValues = {};
  for (const name of Object.keys(RTAX) as MetricName[]) {
    const buf = (metrics as Record<string, Buffer | undefined>)[FIELD[name]];
    if (!buf) continue;
    if (name === 'congctl') out.congctl = readCString(buf);
    else if (buf.length >= 4) out[name] = readU32(buf);
  }
  if (metrics.lock && metrics.lock.length >= 4) {
    const mask = readU32(metrics.lock);
    const locked = (Object.keys(RTAX) as MetricName[]).filter((name) => (mask & (1 << RTAX[name])) !== 0);
    if (locked.length > 0) out.lock = locked;
  }
  return out;
}
