// The uplink state file (default /var/lib/vrrpd/uplinks.json): which gateways are still carrying
// flap memory, and which was active, so a restart does not treat a flapping primary as stable.
// Decoding never throws: a damaged or foreign file is reported and ignored (the cost is only
// that flap memory starts empty, as on a first start).

import type { PersistedUplinkState } from './types.js';

export function encodePersistedState(state: PersistedUplinkState, savedAtMs: number): string {
  const file = { ...state, savedAt: new Date(savedAtMs).toISOString() };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export type DecodedPersistedState = { ok: true; state: PersistedUplinkState } | { ok: false; reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function decodePersistedState(text: string): DecodedPersistedState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
  if (!isRecord(parsed)) return { ok: false, reason: 'not a JSON object' };
  if (parsed.version !== 1) return { ok: false, reason: `unknown version ${JSON.stringify(parsed.version)}` };
  const active = parsed.active;
  if (active !== null && typeof active !== 'string')
    return { ok: false, reason: '`active` must be a string or null' };
  if (!isRecord(parsed.flapping)) return { ok: false, reason: '`flapping` must be an object' };
  const flapping: Record<string, number> = {};
  for (const [id, at] of Object.entries(parsed.flapping)) {
    if (typeof at !== 'number' || !Number.isFinite(at)) {
      return { ok: false, reason: `flapping.${id} must be a time in milliseconds` };
    }
    flapping[id] = at;
  }
  return { ok: true, state: { version: 1, active, flapping } };
}
