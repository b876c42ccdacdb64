// Runtime check of the `status --json` / `stats --json` shapes. Hand-written on purpose: the schema is
// small, and a dependency-free validator that names the exact JSON path of each problem is what the
// tests (and anyone debugging a consumer) need. Unknown keys are reported too, so the documented
// schema and the daemon's output cannot drift apart silently.

import {
  TRACKER_KINDS,
  TRACKER_STATUSES,
  UPLINK_ROLES,
  GATEWAY_HEALTH_STATES,
  type StatsSnapshot,
  type StatusSnapshot,
} from './status-types.js';
import { VRRP_STATES } from '../vrrp/types.js';

type Problems = string[];
type FieldCheck = (value: unknown, path: string, problems: Problems) => void;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const string: FieldCheck = (value, path, problems) => {
  if (typeof value !== 'string') problems.push(`${path}: expected a string`);
};
const nonEmptyString: FieldCheck = (value, path, problems) => {
  if (typeof value !== 'string' || value === '') problems.push(`${path}: expected a non-empty string`);
};
const number: FieldCheck = (value, path, problems) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(`${path}: expected a number`);
};
const boolean: FieldCheck = (value, path, problems) => {
  if (typeof value !== 'boolean') problems.push(`${path}: expected a boolean`);
};
function integer(min: number, max: number): FieldCheck {
  return (value, path, problems) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`${path}: expected an integer in ${min}..${max}`);
    }
  };
}
const count = integer(0, Number.MAX_SAFE_INTEGER);
const isoTime: FieldCheck = (value, path, problems) => {
  if (typeof value !== 'string' || !ISO_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    problems.push(`${path}: expected an ISO 8601 time`);
  }
};
function oneOf(allowed: readonly string[]): FieldCheck {
  return (value, path, problems) => {
    if (typeof value !== 'string' || !allowed.includes(value)) {
      problems.push(`${path}: expected one of ${allowed.join(', ')}`);
    }
  };
}
function nullable(check: FieldCheck): FieldCheck {
  return (value, path, problems) => {
    if (value !== null) check(value, path, problems);
  };
}
function arrayOf(check: FieldCheck): FieldCheck {
  return (value, path, problems) => {
    if (!Array.isArray(value)) {
      problems.push(`${path}: expected an array`);
      return;
    }
    value.forEach((item, index) => check(item, `${path}[${index}]`, problems));
  };
}
function recordOf(check: FieldCheck): FieldCheck {
  return (value, path, problems) => {
    if (!isRecord(value)) {
      problems.push(`${path}: expected an object`);
      return;
    }
    for (const [key, item] of Object.entries(value)) check(item, `${path}.${key}`, problems);
  };
}
function object(fields: Record<string, FieldCheck>): FieldCheck {
  return (value, path, problems) => {
    if (!isRecord(value)) {
      problems.push(`${path}: expected an object`);
      return;
    }
    for (const [key, check] of Object.entries(fields)) {
      if (!(key in value)) problems.push(`${path}.${key}: missing`);
      else check(value[key], `${path}.${key}`, problems);
    }
    for (const key of Object.keys(value)) {
      if (!(key in fields)) problems.push(`${path}.${key}: not part of the schema`);
    }
  };
}

const counters = object({
  advertsRx: count,
  advertsTx: count,
  becameMaster: count,
  releasedMaster: count,
  priorityZeroRx: count,
  priorityZeroTx: count,
  drops: recordOf(count),
});

const tracker = object({
  kind: oneOf(TRACKER_KINDS),
  name: nonEmptyString,
  status: oneOf(TRACKER_STATUSES),
  weight: integer(-254, 254),
  contribution: integer(-254, 254),
  consecutiveSuccesses: nullable(count),
  consecutiveFailures: nullable(count),
});

const instance = object({
  name: nonEmptyString,
  interface: nonEmptyString,
  vrid: integer(1, 255),
  version: integer(2, 3),
  state: oneOf(VRRP_STATES),
  priority: integer(0, 255),
  effectivePriority: integer(0, 255),
  masterAddress: nullable(nonEmptyString),
  advertInterval: number,
  masterDownInterval: number,
  vips: arrayOf(nonEmptyString),
  lastTransition: isoTime,
  lastTransitionReason: string,
  trackers: arrayOf(tracker),
  counters,
  maintenance: nullable(object({ since: isoTime, until: nullable(isoTime), by: string, reason: string })),
  priorityOverride: nullable(
    object({ priority: integer(1, 255), since: isoTime, by: string, reason: string }),
  ),
  releasing: boolean,
  vmacs: arrayOf(object({ name: nonEmptyString, base: nonEmptyString, mac: nonEmptyString })),
  ipvlans: arrayOf(
    object({
      name: nonEmptyString,
      base: nonEmptyString,
      kind: oneOf(['bridge', 'private', 'vepa']),
      address: nullable(nonEmptyString),
    }),
  ),
});

const uplink = object({
  group: nonEmptyString,
  id: nonEmptyString,
  // A NetGWM gateway may be given by address only or by device only (never neither).
  ip: string,
  dev: string,
  priority: number,
  state: oneOf(GATEWAY_HEALTH_STATES),
  rttMs: nullable(number),
  loss: (value, path, problems) => {
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) problems.push(`${path}: expected 0..1`);
  },
  healthySince: nullable(isoTime),
  active: boolean,
  latencyMs: nullable(number),
  jitterMs: nullable(number),
  alarm: nullable(oneOf(['loss', 'rtt', 'jitter'] as const)),
});

const uplinkGroup = object({
  name: nonEmptyString,
  role: oneOf(UPLINK_ROLES),
  follows: nullable(nonEmptyString),
  active: nullable(nonEmptyString),
  switches: count,
  routeErrors: count,
  pinned: nullable(nonEmptyString),
  error: nullable(nonEmptyString),
});

const statusSnapshot = object({
  instances: arrayOf(instance),
  uplinks: arrayOf(uplink),
  uplinkGroups: arrayOf(uplinkGroup),
});

const statsSnapshot = object({
  since: isoTime,
  instances: arrayOf(
    object({ name: nonEmptyString, interface: nonEmptyString, vrid: integer(1, 255), counters }),
  ),
});

/** Every way `value` departs from the `status --json` schema, as `$.path: problem` lines; [] if none. */
export function validateStatusSnapshot(value: unknown): string[] {
  const problems: Problems = [];
  statusSnapshot(value, '$', problems);
  return problems;
}

export function isStatusSnapshot(value: unknown): value is StatusSnapshot {
  return validateStatusSnapshot(value).length === 0;
}

/** Every way `value` departs from the `stats --json` schema; [] if none. */
export function validateStatsSnapshot(value: unknown): string[] {
  const problems: Problems = [];
  statsSnapshot(value, '$', problems);
  return problems;
}

export function isStatsSnapshot(value: unknown): value is StatsSnapshot {
  return validateStatsSnapshot(value).length === 0;
}
