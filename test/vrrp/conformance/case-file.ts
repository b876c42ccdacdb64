// Reading a conformance case directory: `config` (keepalived.conf), `events.jsonl` (what happens
// to the router, one event a line with its virtual time) and `expected-actions.jsonl`. Every line
// is checked field by field: a misspelt key must fail the case, not silently do nothing.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TIMER_NAMES, type TimerName } from '../../../src/vrrp/index.js';

/** An advert another router sends; every field left out is taken from the receiving instance. */
export interface AdvertSpec {
  readonly type: 'advert';
  readonly source: string;
  readonly priority: number;
  readonly vrid?: number;
  readonly version?: 2 | 3;
  readonly advertIntervalCs?: number;
  readonly addresses?: readonly string[];
  readonly authType?: number;
  /** v2 PASS password as the sender configured it (sent zero-padded to eight bytes). */
  readonly authPassword?: string;
  /** IP header: default TTL 255 and the instance's multicast group. */
  readonly ttl?: number;
  readonly destination?: string;
}

export type EventSpec =
  | { readonly type: 'startup' }
  /** `immediate`: the RFC's release (vrrpd's default is make-before-break). */
  | { readonly type: 'shutdown'; readonly immediate?: boolean }
  /** vrrpctl handover (optionally `to` one unicast peer) / resume / demote. */
  | { readonly type: 'handover'; readonly to?: string }
  | { readonly type: 'resume' }
  | { readonly type: 'setPriority'; readonly priority: number }
  | AdvertSpec
  /** An expiry delivered by hand, e.g. a stale generation the daemon's timer service let through. */
  | { readonly type: 'timer'; readonly timer: TimerName; readonly generation: number }
  | { readonly type: 'fault'; readonly source: string; readonly active: boolean }
  | { readonly type: 'tracker'; readonly name: string; readonly weight: number; readonly up: boolean }
  /** Run the timers up to this time, then stop. */
  | { readonly type: 'end' };

export interface EventLine {
  /** Virtual time in ms. */
  readonly at: number;
  /** Which instance the event is for; startup/shutdown without it go to every instance. */
  readonly instance?: string;
  readonly event: EventSpec;
  /** 1-based line in events.jsonl, for error messages. */
  readonly line: number;
}

export interface ConformanceCase {
  readonly name: string;
  readonly directory: string;
  readonly configText: string;
  readonly events: readonly EventLine[];
  /** null when the file does not exist yet. */
  readonly expectedText: string | null;
  readonly expectedPath: string;
}

type Json = Record<string, unknown>;

const FIELDS: Record<EventSpec['type'], { required: readonly string[]; optional: readonly string[] }> = {
  startup: { required: [], optional: [] },
  shutdown: { required: [], optional: ['immediate'] },
  handover: { required: [], optional: ['to'] },
  resume: { required: [], optional: [] },
  setPriority: { required: ['priority'], optional: [] },
  end: { required: [], optional: [] },
  advert: {
    required: ['source', 'priority'],
    optional: [
      'vrid',
      'version',
      'advertIntervalCs',
      'addresses',
      'authType',
      'authPassword',
      'ttl',
      'destination',
    ],
  },
  timer: { required: ['timer', 'generation'], optional: [] },
  fault: { required: ['source', 'active'], optional: [] },
  tracker: { required: ['name', 'weight', 'up'], optional: [] },
};

const TYPES: Record<string, 'string' | 'number' | 'boolean' | 'string[]'> = {
  source: 'string',
  priority: 'number',
  vrid: 'number',
  version: 'number',
  advertIntervalCs: 'number',
  addresses: 'string[]',
  authType: 'number',
  authPassword: 'string',
  ttl: 'number',
  destination: 'string',
  timer: 'string',
  generation: 'number',
  active: 'boolean',
  name: 'string',
  weight: 'number',
  up: 'boolean',
  immediate: 'boolean',
  to: 'string',
};

function hasType(value: unknown, type: (typeof TYPES)[string]): boolean {
  if (type === 'string[]') return Array.isArray(value) && value.every((v) => typeof v === 'string');
  return typeof value === type;
}

function checkKeys(what: string, object: Json, allowed: readonly string[]): void {
  const unknown = Object.keys(object).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw new Error(`${what}: unknown field(s) ${unknown.join(', ')}`);
}

function parseEvent(where: string, raw: unknown): EventSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Error(`${where}: "event" is not an object`);
  const event = raw as Json;
  const type = event.type;
  if (typeof type !== 'string' || !(type in FIELDS)) {
    throw new Error(
      `${where}: event type ${JSON.stringify(type)} is not one of ${Object.keys(FIELDS).join(', ')}`,
    );
  }
  const { required, optional } = FIELDS[type as EventSpec['type']];
  checkKeys(where, event, ['type', ...required, ...optional]);
  for (const key of required) {
    if (!(key in event)) throw new Error(`${where}: ${type} needs "${key}"`);
  }
  for (const key of [...required, ...optional]) {
    if (key in event && !hasType(event[key], TYPES[key]!)) {
      throw new Error(`${where}: "${key}" must be a ${TYPES[key]}`);
    }
  }
  if (type === 'timer' && !TIMER_NAMES.includes(event.timer as TimerName)) {
    throw new Error(`${where}: timer ${JSON.stringify(event.timer)} is not one of ${TIMER_NAMES.join(', ')}`);
  }
  return event as unknown as EventSpec;
}

export function parseEvents(text: string, file = 'events.jsonl'): EventLine[] {
  const events: EventLine[] = [];
  let previous = 0;
  text.split('\n').forEach((source, index) => {
    const line = index + 1;
    const where = `${file}:${line}`;
    if (source.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(source);
    } catch (error) {
      throw new Error(`${where}: not JSON (${(error as Error).message})`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error(`${where}: a line must be a JSON object`);
    }
    const object = parsed as Json;
    checkKeys(where, object, ['at', 'instance', 'event']);
    const { at, instance } = object;
    if (typeof at !== 'number' || !Number.isInteger(at) || at < 0) {
      throw new Error(`${where}: "at" must be a whole number of ms`);
    }
    if (at < previous) throw new Error(`${where}: time goes backwards (${at} after ${previous})`);
    previous = at;
    if (instance !== undefined && typeof instance !== 'string')
      throw new Error(`${where}: "instance" must be a string`);
    const event = parseEvent(where, object.event);
    events.push({ at, event, line, ...(instance === undefined ? {} : { instance }) });
  });
  const endAt = events.findIndex((e) => e.event.type === 'end');
  if (endAt !== -1 && endAt !== events.length - 1) {
    throw new Error(`${file}:${events[endAt]!.line}: "end" must be the last event`);
  }
  return events;
}

export const EXPECTED_FILE = 'expected-actions.jsonl';

export function loadCase(directory: string, name: string): ConformanceCase {
  const read = (file: string): string => {
    const path = join(directory, file);
    if (!existsSync(path)) throw new Error(`case ${name}: ${file} is missing`);
    return readFileSync(path, 'utf8');
  };
  const expectedPath = join(directory, EXPECTED_FILE);
  return {
    name,
    directory,
    configText: read('config'),
    events: parseEvents(read('events.jsonl')),
    expectedText: existsSync(expectedPath) ? readFileSync(expectedPath, 'utf8') : null,
    expectedPath,
  };
}
