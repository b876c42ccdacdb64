// What operators set at run time and must survive a reload and a restart: maintenance holds
// (`vrrpctl handover`) and priority overrides (`vrrpctl demote`), per instance, with who set them,
// when and why. Kept as JSON in the state directory (runtime-state.json); the codec is pure and
// refuses anything malformed field by field, so a damaged file costs only what it damaged.

import { readStateText, writeFileAtomic } from '../runtime/atomic-file.js';

export interface HoldRecord {
  /** Wall-clock ms when the hold began. */
  since: number;
  by: string;
  reason: string;
  /** Wall-clock ms when it ends by itself (`--for`), or null until `vrrpctl resume`. */
  until: number | null;
}

export interface PriorityOverride {
  priority: number;
  since: number;
  by: string;
  reason: string;
}

export interface AdminRecord {
  hold: HoldRecord | null;
  priority: PriorityOverride | null;
}

export const ADMIN_STATE_FILE = 'runtime-state.json';
const FORMAT_VERSION = 1;

export function encodeAdminState(records: ReadonlyMap<string, AdminRecord>): string {
  const instances: Record<string, AdminRecord> = {};
  for (const [name, record] of records) if (record.hold || record.priority) instances[name] = record;
  return `${JSON.stringify({ version: FORMAT_VERSION, instances }, null, 2)}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= 512;

function decodeHold(value: unknown): HoldRecord | null {
  if (!isRecord(value) || !isTime(value.since) || !isText(value.by) || !isText(value.reason)) return null;
  if (value.until !== null && !isTime(value.until)) return null;
  return { since: value.since, by: value.by, reason: value.reason, until: value.until };
}

function decodePriority(value: unknown): PriorityOverride | null {
  if (!isRecord(value) || !isTime(value.since) || !isText(value.by) || !isText(value.reason)) return null;
  const { priority } = value;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 1 || priority > 255)
    return null;
  return { priority, since: value.since, by: value.by, reason: value.reason };
}

export interface DecodedAdminState {
  records: Map<string, AdminRecord>;
  /** What was skipped and why (logged by the caller). */
  problems: string[];
}

export function decodeAdminState(text: string): DecodedAdminState {
  const records = new Map<string, AdminRecord>();
  const problems: string[] = [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { records, problems: ['not valid JSON'] };
  }
  if (!isRecord(value) || value.version !== FORMAT_VERSION || !isRecord(value.instances)) {
    return { records, problems: [`not a version ${FORMAT_VERSION} runtime state`] };
  }
  for (const [name, entry] of Object.entries(value.instances)) {
    if (!isRecord(entry)) {
      problems.push(`${name}: not an object`);
      continue;
    }
    const hold = entry.hold === null || entry.hold === undefined ? null : decodeHold(entry.hold);
    const priority =
      entry.priority === null || entry.priority === undefined ? null : decodePriority(entry.priority);
    if (entry.hold && !hold) problems.push(`${name}: unreadable hold`);
    if (entry.priority && !priority) problems.push(`${name}: unreadable priority override`);
    if (hold || priority) records.set(name, { hold, priority });
  }
  return { records, problems };
}

export async function loadAdminState(path: string): Promise<DecodedAdminState> {
  const read = await readStateText(path);
  if (read.kind === 'absent') return { records: new Map(), problems: [] };
  if (read.kind === 'unusable') return { records: new Map(), problems: [read.reason] };
  return decodeAdminState(read.text);
}

export async function saveAdminState(path: string, records: ReadonlyMap<string, AdminRecord>): Promise<void> {
  await writeFileAtomic(path, encodeAdminState(records));
}
