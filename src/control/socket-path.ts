// Getting the control socket's path ready before listen(): create the directory, and remove a socket
// file left behind by a crashed daemon — but only after checking nobody answers on it, so starting
// a second vrrpd by mistake cannot steal the first one's socket.

import { lstat, mkdir, unlink } from '../runtime/fs-async.js';
import { dirname } from 'node:path';

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
 * Creates the parent directory (0755) and clears a stale socket file; throws SocketPathError
 * otherwise. `answers(path)`: whether something accepts connections there (the addon's probe).
 */
export async function prepareSocketPath(path: string, answers: (path: string) => boolean): Promise<void> {
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
  if (answers(path)) {
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
