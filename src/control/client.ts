// Client side of the control protocol: one request, one reply, bounded in time. Transport failures
// become a ControlClientError whose message is the one line vrrpctl prints.

import { connect } from 'node:net';
import { LineBuffer } from './line-buffer.js';
import { encodeRequest, parseReplyLine, type ControlReply } from './protocol.js';
import { systemTimers } from '../runtime/timers.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;
/** Replies can be large (many instances); this only stops a runaway peer. */
const MAX_REPLY_BYTES = 16 * 1024 * 1024;

export type ControlClientFailure = 'not_running' | 'access_denied' | 'timeout' | 'protocol' | 'io';

export class ControlClientError extends Error {
  constructor(
    readonly failure: ControlClientFailure,
    message: string,
    readonly socketPath: string,
  ) {
    super(message);
    this.name = 'ControlClientError';
  }
}

export interface RequestOptions {
  socketPath: string;
  timeoutMs?: number;
}

function connectFailure(path: string, error: NodeJS.ErrnoException): ControlClientError {
  const prefix = `cannot reach vrrpd at ${path}`;
  switch (error.code) {
    case 'ENOENT':
      return new ControlClientError('not_running', `${prefix}: no such file (is vrrpd running?)`, path);
    case 'ECONNREFUSED':
      return new ControlClientError('not_running', `${prefix}: connection refused (is vrrpd running?)`, path);
    case 'EACCES':
    case 'EPERM':
      return new ControlClientError(
        'access_denied',
        `${prefix}: permission denied (run as root or as a member of the socket's group)`,
        path,
      );
    case 'ENOTSOCK':
      return new ControlClientError('not_running', `${prefix}: not a socket`, path);
    default:
      return new ControlClientError('io', `${prefix}: ${error.code ?? error.message}`, path);
  }
}

/** Sends one command and resolves with the daemon's reply (which may itself be an error reply). */
export function sendControlRequest(
  command: string,
  args: Record<string, unknown>,
  options: RequestOptions,
): Promise<ControlReply> {
  const { socketPath } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const socket = connect({ path: socketPath });
    const lines = new LineBuffer(MAX_REPLY_BYTES);
    let connected = false;
    let settled = false;
    const timer = systemTimers.after(timeoutMs, () => {
      const seconds = timeoutMs / 1000;
      fail(
        new ControlClientError(
          'timeout',
          `vrrpd at ${socketPath} did not answer within ${seconds} s`,
          socketPath,
        ),
      );
    });

    function settle(): boolean {
      if (settled) return false;
      settled = true;
      timer.cancel();
      socket.destroy();
      return true;
    }
    function fail(error: ControlClientError): void {
      if (settle()) reject(error);
    }

    socket.once('connect', () => {
      connected = true;
      socket.write(encodeRequest(1, command, args));
    });
    socket.on('data', (chunk: Buffer) => {
      const [line] = lines.push(chunk);
      if (lines.overflowed) {
        fail(
          new ControlClientError('protocol', `vrrpd at ${socketPath} sent an oversized reply`, socketPath),
        );
        return;
      }
      if (line === undefined) return;
      const reply = parseReplyLine(line);
      if (reply === null) {
        fail(new ControlClientError('protocol', `vrrpd at ${socketPath} sent a malformed reply`, socketPath));
      } else if (settle()) {
        resolve(reply);
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!connected) fail(connectFailure(socketPath, error));
      else
        fail(
          new ControlClientError(
            'io',
            `connection to vrrpd at ${socketPath} failed: ${error.message}`,
            socketPath,
          ),
        );
    });
    socket.on('close', () => {
      fail(
        new ControlClientError(
          'io',
          `vrrpd at ${socketPath} closed the connection without answering`,
          socketPath,
        ),
      );
    });
  });
}
