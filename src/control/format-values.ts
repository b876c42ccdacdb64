// Small value formatters shared by vrrpctl's views: ages, seconds, VIP lists, state colours.

import type { CellStyle } from './text-table.js';
import type { TrackerStatus, GatewayHealthState } from './status-types.js';
import type { VrrpState } from '../vrrp/types.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** A compact age, at most six columns: `42s`, `3m12s`, `2h05m`, `3d04h`, `123d`. */
export function formatAge(milliseconds: number): string {
  const elapsed = Math.max(0, Math.floor(milliseconds));
  if (elapsed < MINUTE) return `${Math.floor(elapsed / SECOND)}s`;
  if (elapsed < HOUR)
    return `${Math.floor(elapsed / MINUTE)}m${twoDigits(Math.floor((elapsed % MINUTE) / SECOND))}s`;
  if (elapsed < DAY)
    return `${Math.floor(elapsed / HOUR)}h${twoDigits(Math.floor((elapsed % HOUR) / MINUTE))}m`;
  const days = Math.floor(elapsed / DAY);
  if (days >= 100) return `${days}d`;
  return `${days}d${twoDigits(Math.floor((elapsed % DAY) / HOUR))}h`;
}

/** Age of an ISO time relative to `now` (ms since the epoch); `-` when the time is missing or unreadable. */
export function ageSince(iso: string | null, now: number): string {
  if (iso === null) return '-';
  const then = Date.parse(iso);
  return Number.isNaN(then) ? '-' : formatAge(now - then);
}

/** Seconds with at most millisecond precision and no trailing zeros: `1 s`, `0.5 s`, `3.609 s`. */
export function formatSeconds(seconds: number): string {
  return `${Number(seconds.toFixed(3))} s`;
}

/** The address part of a VIP as configured (`192.0.2.254/24 dev eth1` → `192.0.2.254`). */
export function vipAddress(vip: string): string {
  const [address = ''] = vip.trim().split(/\s+/);
  const slash = address.indexOf('/');
  return slash === -1 ? address : address.slice(0, slash);
}

/** The interface a VIP is configured on, or `fallback` (the instance's) when it names none. */
export function vipInterface(vip: string, fallback: string): string {
  const words = vip.trim().split(/\s+/);
  const dev = words.indexOf('dev');
  return dev !== -1 && words[dev + 1] !== undefined ? words[dev + 1]! : fallback;
}

/** One VIP is shown as its address, several as `first +N`, none as `-`. */
export function summarizeVips(vips: string[]): string {
  if (vips.length === 0) return '-';
  const first = vipAddress(vips[0]!);
  return vips.length === 1 ? first : `${first} +${vips.length - 1}`;
}

/** The squeezed form of a VIP list: `1 VIP`, `3 VIPs`. */
export function countVips(vips: string[]): string {
  return vips.length === 1 ? '1 VIP' : `${vips.length} VIPs`;
}

export function stateStyle(state: VrrpState): CellStyle | undefined {
  switch (state) {
    case 'MASTER':
      return 'green';
    case 'FAULT':
      return 'red';
    case 'INIT':
      return 'yellow';
    case 'BACKUP':
      return undefined;
  }
}

export function healthStyle(status: TrackerStatus | GatewayHealthState): CellStyle {
  if (status === 'UP') return 'green';
  return status === 'DOWN' ? 'red' : 'yellow';
}
