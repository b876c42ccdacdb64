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

export const COMMANDS = ['status', 'stats', 'reload', 'garp'] as const;
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
  internal: 'VRRPD_E_CTL_INTERNAL',
} as const;
export type ControlErrorCodeValue = (typeof ControlErrorCode)[keyof typeof ControlErrorCode];

export type RequestId = number | string | null;

export type ControlRequest =
  | { id: RequestId; command: 'status'; args: { instance?: string } }
  | { id: RequestId; command: 'stats'; args: { clear: boolean } }
  | { id: RequestId; command: 'reload'; args: Record<string, never> }
  | { id: RequestId; command: 'garp'; args: { instance: string } };

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
    default:
      return refuse(
        id,
        ControlErrorCode.unknownCommand,
        `unknown command "${command.slice(0, 64)}" (known: ${COMMANDS.join(', ')})`,
      );
  }
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
