// What a switch looks like to the outside, in NetGWM's formats: the six post-replace.d arguments
// and the line NetGWM appends to /var/log/netgwm.log. Pure, so both are pinned by tests.

import type { GatewayRef } from './types.js';

/** NetGWM's placeholder for an unknown value (no old gateway at first start, no ip or no dev). */
export const UNKNOWN_ARGUMENT = 'NaN';

/**
 * new id, new ip, new dev, old id, old ip, old dev — `NaN` for anything unknown. (NetGWM itself
 * prints `Nan` for a missing old id; the article's hook tests `$4 = 'NaN'`, so we use `NaN`.)
 */
export function hookArguments(
  to: GatewayRef,
  from: GatewayRef | null,
): [string, string, string, string, string, string] {
  const field = (value: string | null | undefined): string => value ?? UNKNOWN_ARGUMENT;
  return [to.id, field(to.ip), field(to.dev), field(from?.id), field(from?.ip), field(from?.dev)];
}

/** `via IP dev DEV` as iproute2 (and NetGWM) writes a route's next hop. */
export function describeNextHop(gateway: { ip: string | null; dev: string | null }): string {
  const parts: string[] = [];
  if (gateway.ip !== null) parts.push(`via ${gateway.ip}`);
  if (gateway.dev !== null) parts.push(`dev ${gateway.dev}`);
  return parts.join(' ');
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * Python logging's default asctime, `YYYY-MM-DD HH:MM:SS,mmm`, in local time. The offset is
 * passed in (minutes east of UTC, i.e. `-date.getTimezoneOffset()`) to keep this pure.
 */
export function formatNetgwmTime(epochMs: number, utcOffsetMinutes: number): string {
  const local = new Date(epochMs + utcOffsetMinutes * 60_000);
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1, 2)}-${pad(local.getUTCDate(), 2)} ` +
    `${pad(local.getUTCHours(), 2)}:${pad(local.getUTCMinutes(), 2)}:${pad(local.getUTCSeconds(), 2)},` +
    pad(local.getUTCMilliseconds(), 3)
  );
}

/** One line of the NetGWM switch log: `2017-07-14 06:25:41,554 route replaced to: via 88.88.88.88`. */
export function netgwmLogLine(
  epochMs: number,
  utcOffsetMinutes: number,
  gateway: { ip: string | null; dev: string | null },
): string {
  return `${formatNetgwmTime(epochMs, utcOffsetMinutes)} route replaced to: ${describeNextHop(gateway)}\n`;
}
