// Getting the control socket's path ready before listen(): create the directory, and remove a socket
// file left behind by a crashed daemon — but only after checking nobody answers on it, so starting
// a second vrrpd by mistake cannot steal the first one's socket.

import { connect } from 'node:net';
import { lstat, mkdir, unlink } from '../runtime/fs-async.js';
import { dirname } from 'node:path';
import { systemTimers } from '../runtime/timers.js';

export class SocketPathError extends Error {
  constructor(
    readonly code: 'VRRPD_E_CTL_SOCKET_IN_USE' | 'VRRPD_E_CTL_SOCKET_NOT_A_SOCKET',
    message: string,
  ) {
    super(message);
    this.name = 'SocketPathError';
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Resolves true when something accepts a connection on `path`. A connect that neither succeeds nor
 * fails within `timeoutMs` counts as answering: a busy daemon must not lose its socket.
 */
export function socketAnswers(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    const timer = systemTimers.after(timeoutMs, () => finish(true));
    function finish(answering: boolean): void {
      timer.cancel();
      socket.destroy();
      resolve(answering);
    }
    socket.once('connect', () => finish(true));
    socket.once('error', (error) => {
      const code = errorCode(error);
      finish(code !== 'ECONNREFUSED' && code !== 'ENOENT');
    });
  });
}

/** Creates the parent directory (0755) and clears a stale socket file; throws SocketPathError otherwise. */
export async function prepareSocketPath(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  let isSocket: boolean;
  try {
    isSocket = (await lstat(path)).isSocket();
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  if (!isSocket) {
    throw new SocketPathError(
      'VRRPD_E_CTL_SOCKET_NOT_A_SOCKET',
      `${path} exists and is not a socket; refusing to replace it`,
    );
  }
  if (await socketAnswers(path)) {
    throw new SocketPathError(
      'VRRPD_E_CTL_SOCKET_IN_USE',
      `another process (a running vrrpd?) is answering on ${path}`,
    );
  }
  try {
    await unlink(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}
