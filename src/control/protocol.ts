import { errorMessage } from '../runtime/errors.js';
// The control protocol: newline-delimited JSON over a unix stream socket, one request per line,
// one reply line per request, in order. Pure parsing and building here; the socket lives in server.ts.
//
//   → {"id":1,"command":"status","args":{"instance":"VI_1"}}
//   ← {"id":1,"ok":true,"result":{...}}
//   ← {"id":1,"ok":false,"error":{"code":"VRRPD_E_CTL_UNKNOWN_INSTANCE","message":"..."}}

export const DEFAULT_SOCKET_PATH = '/run/vrrpd/vrrpd.sock';
/** Environment variable naming the socket for vrrpctl (and, by convention, the daemon). */
export const SOCKET_ENV_VAR = 'VRRPD_SOCKET';
/** A request line longer than this without a newline is refused and its connection closed. */
export const MAX_REQUEST_BYTES = 64 * 1024;

export const COMMANDS = [
  'status',
  'stats',
  'reload',
  'garp',
  'handover',
  'resume',
  'demote',
  'uplinkPin',
] as const;
export type CommandName = (typeof COMMANDS)[number];

/** Stable error codes: they are part of the interface (scripts match on them), never rename one. */
export const ControlErrorCode = {
  badJson: 'VRRPD_E_CTL_BAD_JSON',
  badRequest: 'VRRPD_E_CTL_BAD_REQUEST',
  unknownCommand: 'VRRPD_E_CTL_UNKNOWN_COMMAND',
  badArguments: 'VRRPD_E_CTL_BAD_ARGS',
  unknownInstance: 'VRRPD_E_CTL_UNKNOWN_INSTANCE',
  tooLarge: 'VRRPD_E_CTL_TOO_LARGE',
  idleTimeout: 'VRRPD_E_CTL_IDLE_TIMEOUT',
  garpFailed: 'VRRPD_E_CTL_GARP_FAILED',
  /** handover / resume / demote refused (unknown peer, priority out of range, not finished…). */
  adminRefused: 'VRRPD_E_CTL_ADMIN',
  uplinkRefused: 'VRRPD_E_CTL_UPLINK_REFUSED',
  internal: 'VRRPD_E_CTL_INTERNAL',
} as const;
export type ControlErrorCodeValue = (typeof ControlErrorCode)[keyof typeof ControlErrorCode];

export type RequestId = number | string | null;

export type ControlRequest =
  | { id: RequestId; command: 'status'; args: { instance?: string } }
  | { id: RequestId; command: 'stats'; args: { clear: boolean } }
  | { id: RequestId; command: 'reload'; args: Record<string, never> }
  | { id: RequestId; command: 'garp'; args: { instance: string } }
  | { id: RequestId; command: 'handover'; args: HandoverArgs }
  | { id: RequestId; command: 'resume'; args: AdminArgs }
  | { id: RequestId; command: 'demote'; args: DemoteArgs }
  /** `gateway` null: back to automatic selection (`vrrpctl uplink pin auto`). */
  | { id: RequestId; command: 'uplinkPin'; args: { gateway: string | null; group?: string } };

/** Who asks and why, for every administrative command (shown in status, logged). */
export interface AdminArgs {
  instances: string[];
  all: boolean;
  /** The requesting user as vrrpctl saw it (the socket's permissions are the access control). */
  by: string;
  reason: string;
}

export interface HandoverArgs extends AdminArgs {
  /** Resign to this unicast peer only. */
  to?: string;
  /** Maintenance ends by itself after this long. */
  forMs?: number;
  /** Reply once the handover finished (addresses released). */
  wait: boolean;
}

export interface DemoteArgs extends AdminArgs {
  priority?: number;
  /** Lower the configured priority by this much. */
  delta?: number;
}

export interface ControlError {
  code: string;
  message: string;
}

export type ControlReply =
  { id: RequestId; ok: true; result: unknown } | { id: RequestId; ok: false; error: ControlError };

export type ParsedRequest =
  { ok: true; request: ControlRequest } | { ok: false; id: RequestId; error: ControlError };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refuse(id: RequestId, code: ControlErrorCodeValue, message: string): ParsedRequest {
  return { ok: false, id, error: { code, message } };
}

/** Parses one request line. Never throws: every problem becomes an error reply for that line. */
export function parseRequestLine(line: string): ParsedRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    const reason = errorMessage(error);
    return refuse(null, ControlErrorCode.badJson, `request is not valid JSON: ${reason}`);
  }
  if (!isRecord(value)) return refuse(null, ControlErrorCode.badRequest, 'request must be a JSON object');
  const rawId = value.id;
  const id: RequestId = typeof rawId === 'number' || typeof rawId === 'string' ? rawId : null;
  if (rawId !== undefined && rawId !== null && id === null) {
    return refuse(null, ControlErrorCode.badRequest, '"id" must be a number or a string');
  }
  const command = value.command;
  if (typeof command !== 'string')
    return refuse(id, ControlErrorCode.badRequest, '"command" must be a string');
  const args = value.args ?? {};
  if (!isRecord(args)) return refuse(id, ControlErrorCode.badArguments, '"args" must be an object');

  switch (command) {
    case 'status': {
      const instance = args.instance;
      if (instance !== undefined && (typeof instance !== 'string' || instance === '')) {
        return refuse(id, ControlErrorCode.badArguments, 'status: "instance" must be a non-empty string');
      }
      return { ok: true, request: { id, command, args: instance === undefined ? {} : { instance } } };
    }
    case 'stats': {
      const clear = args.clear ?? false;
      if (typeof clear !== 'boolean') {
        return refuse(id, ControlErrorCode.badArguments, 'stats: "clear" must be a boolean');
      }
      return { ok: true, request: { id, command, args: { clear } } };
    }
    case 'reload':
      return { ok: true, request: { id, command, args: {} } };
    case 'garp': {
      const instance = args.instance;
      if (typeof instance !== 'string' || instance === '') {
        return refuse(id, ControlErrorCode.badArguments, 'garp: "instance" is required');
      }
      return { ok: true, request: { id, command, args: { instance } } };
    }
    case 'handover':
    case 'resume':
    case 'demote':
      return parseAdminRequest(id, command, args);
    case 'uplinkPin': {
      const { gateway, group } = args;
      if (gateway !== null && (typeof gateway !== 'string' || gateway === '')) {
        return refuse(id, ControlErrorCode.badArguments, 'uplinkPin: "gateway" must be a gateway id or null');
      }
      if (group !== undefined && (typeof group !== 'string' || group === '')) {
        return refuse(id, ControlErrorCode.badArguments, 'uplinkPin: "group" must be a non-empty string');
      }
      return {
        ok: true,
        request: { id, command, args: group === undefined ? { gateway } : { gateway, group } },
      };
    }
    default:
      return refuse(
        id,
        ControlErrorCode.unknownCommand,
        `unknown command "${command.slice(0, 64)}" (known: ${COMMANDS.join(', ')})`,
      );
  }
}

const MAX_TEXT = 256;

function optionalText(value: unknown): string | undefined | null {
  if (value === undefined) return undefined;
  return typeof value === 'string' && value.length <= MAX_TEXT ? value : null;
}

function optionalNumber(value: unknown, min: number, max: number): number | undefined | null {
  if (value === undefined) return undefined;
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : null;
}

/** handover / resume / demote: instance names or `all`, who and why, and each command's options. */
function parseAdminRequest(
  id: RequestId,
  command: 'handover' | 'resume' | 'demote',
  args: Record<string, unknown>,
): ParsedRequest {
  const bad = (message: string) => refuse(id, ControlErrorCode.badArguments, `${command}: ${message}`);
  const instances = args.instances ?? [];
  if (
    !Array.isArray(instances) ||
    !instances.every((n) => typeof n === 'string' && n !== '' && n.length <= MAX_TEXT)
  ) {
    return bad('"instances" must be a list of instance names');
  }
  const all = args.all ?? false;
  if (typeof all !== 'boolean') return bad('"all" must be a boolean');
  if (all === instances.length > 0) return bad('name instances or give "all", not both or neither');
  const by = optionalText(args.by);
  const reason = optionalText(args.reason);
  if (by === null || reason === null)
    return bad(`"by" and "reason" must be strings of at most ${MAX_TEXT} characters`);
  const base: AdminArgs = {
    instances: instances as string[],
    all,
    by: by ?? 'unknown',
    reason: reason ?? '',
  };
  if (command === 'resume') return { ok: true, request: { id, command, args: base } };
  if (command === 'handover') {
    const to = optionalText(args.to);
    const forMs = optionalNumber(args.forMs, 1, 366 * 24 * 3600 * 1000);
    const wait = args.wait ?? false;
    if (to === null) return bad('"to" must be a peer address');
    if (forMs === null) return bad('"forMs" must be a positive number of milliseconds');
    if (typeof wait !== 'boolean') return bad('"wait" must be a boolean');
    const handover: HandoverArgs = { ...base, wait };
    if (to !== undefined) handover.to = to;
    if (forMs !== undefined) handover.forMs = forMs;
    return { ok: true, request: { id, command, args: handover } };
  }
  const priority = optionalNumber(args.priority, 1, 254);
  const delta = optionalNumber(args.delta, 1, 253);
  if (priority === null) return bad('"priority" must be within 1..254');
  if (delta === null) return bad('"delta" must be within 1..253');
  if ((priority === undefined) === (delta === undefined)) return bad('give either "priority" or "delta"');
  if (instances.length !== 1) return bad('name exactly one instance');
  const demote: DemoteArgs = { ...base };
  if (priority !== undefined) demote.priority = priority;
  if (delta !== undefined) demote.delta = delta;
  return { ok: true, request: { id, command, args: demote } };
}

/** One reply line, newline included. */
export function encodeReply(reply: ControlReply): string {
  return `${JSON.stringify(reply)}\n`;
}

/** One request line, newline included. */
export function encodeRequest(id: RequestId, command: string, args: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ id, command, args })}\n`;
}

/** Parses a reply line from the daemon; null when it is not a well-formed reply. */
export function parseReplyLine(line: string): ControlReply | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isRecord(value) || typeof value.ok !== 'boolean') return null;
  const id: RequestId = typeof value.id === 'number' || typeof value.id === 'string' ? value.id : null;
  if (value.ok) return { id, ok: true, result: value.result };
  const error = value.error;
  if (!isRecord(error) || typeof error.code !== 'string' || typeof error.message !== 'string') return null;
  return { id, ok: false, error: { code: error.code, message: error.message } };
}
