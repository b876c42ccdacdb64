// The control socket: a unix stream socket (never TCP) speaking the newline-delimited JSON of
// protocol.ts. Access control is the socket file's permissions: 0600 root, or 0660 with a configured
// group. Checking the peer's credentials (SO_PEERCRED) would need the native addon; with the file
// mode as the gate, a process that cannot open the file never reaches us (connect → EACCES).

import { createServer, type Server, type Socket } from 'node:net';
import { chmod, chown, lstat, unlink } from '../runtime/fs-async.js';
import { dispatchRequest, type ControlHandlers } from './dispatch.js';
import { resolveGroupId } from './group-id.js';
import { LineBuffer } from './line-buffer.js';
import {
  ControlErrorCode,
  MAX_REQUEST_BYTES,
  encodeReply,
  parseRequestLine,
  type ControlError,
  type ControlReply,
} from './protocol.js';
import { prepareSocketPath } from './socket-path.js';

export type { ControlHandlers } from './dispatch.js';

export interface ControlServerOptions {
  socketPath: string;
  /** Group (name or gid) whose members may use the socket: mode 0660 and chgrp; otherwise 0600. */
  group?: string | number;
  /** A connection with no request in flight is closed after this long without traffic. */
  idleTimeoutMs?: number;
  maxRequestBytes?: number;
  /** Concurrent connections beyond this are refused by the kernel-side accept path. */
  maxConnections?: number;
  /** Logging hook: handler exceptions and socket errors (the server itself never throws them). */
  onError?: (error: unknown, context: string) => void;
}

export interface ControlServer {
  readonly socketPath: string;
  /** Number of open client connections. */
  connectionCount(): number;
  /** Stops listening, drops clients and removes the socket file. */
  close(): Promise<void>;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 10_000;
/** Owner-only by default; group read/write when a group is configured (connect needs write). */
const OWNER_ONLY_MODE = 0o600;
const OWNER_AND_GROUP_MODE = 0o660;
/** Pending requests per connection before we stop reading from it (backpressure, not an error). */
const MAX_QUEUED_REQUESTS = 32;

interface ConnectionContext {
  handlers: ControlHandlers;
  idleTimeoutMs: number;
  maxRequestBytes: number;
  onError: (error: unknown, context: string) => void;
}

function errorReply(code: string, message: string): ControlReply {
  const error: ControlError = { code, message };
  return { id: null, ok: false, error };
}

function serveConnection(socket: Socket, context: ConnectionContext): void {
  const lines = new LineBuffer(context.maxRequestBytes);
  const queue: string[] = [];
  let processing = false;
  let peerEnded = false;
  let closing = false;

  // Send a last error line, then close once it is flushed.
  function closeWith(code: string, message: string): void {
    if (closing) return;
    closing = true;
    queue.length = 0;
    if (socket.writable) socket.end(encodeReply(errorReply(code, message)), () => socket.destroy());
    else socket.destroy();
  }

  async function drain(): Promise<void> {
    if (processing) return;
    processing = true;
    while (queue.length > 0 && !closing && !socket.destroyed) {
      const line = queue.shift()!;
      const parsed = parseRequestLine(line);
      const reply = parsed.ok
        ? await dispatchRequest(context.handlers, parsed.request, (error, request) =>
            context.onError(error, `control command ${request.command}`),
          )
        : { id: parsed.id, ok: false as const, error: parsed.error };
      if (socket.writable && !closing) socket.write(encodeReply(reply));
      if (queue.length < MAX_QUEUED_REQUESTS && socket.isPaused()) socket.resume();
    }
    processing = false;
    if (closing || socket.destroyed) return;
    if (lines.overflowed) {
      closeWith(
        ControlErrorCode.tooLarge,
        `request longer than ${context.maxRequestBytes} bytes without a newline`,
      );
    } else if (peerEnded) {
      socket.end();
    }
  }

  socket.setTimeout(context.idleTimeoutMs);
  socket.on('timeout', () => {
    // A slow handler (reload) is not the client's idleness.
    if (processing || queue.length > 0) return;
    closeWith(ControlErrorCode.idleTimeout, `no request for ${context.idleTimeoutMs} ms; closing`);
  });
  socket.on('data', (chunk: Buffer) => {
    if (closing || lines.overflowed) return;
    for (const line of lines.push(chunk)) if (line.trim() !== '') queue.push(line);
    if (queue.length >= MAX_QUEUED_REQUESTS) socket.pause();
    void drain();
  });
  socket.on('end', () => {
    peerEnded = true;
    void drain();
  });
  socket.on('error', (error) => {
    // A client vanishing mid-reply (EPIPE, ECONNRESET) is routine; log anything else.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPIPE' && code !== 'ECONNRESET') context.onError(error, 'control connection');
  });
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    // bind() creates the file with mode 0777 & ~umask: narrow the umask around it so the socket is
    // never group/world-accessible, even for the instant before chmod. (Worker threads cannot set it.)
    let previousUmask: number | undefined;
    try {
      previousUmask = process.umask(0o177);
    } catch {
      previousUmask = undefined;
    }
    try {
      server.listen({ path, exclusive: true }, () => {
        server.off('error', onError);
        resolve();
      });
    } finally {
      if (previousUmask !== undefined) process.umask(previousUmask);
    }
  });
}

/** Prepares the path, listens and sets ownership and mode; resolves once clients can connect. */
export async function startControlServer(
  handlers: ControlHandlers,
  options: ControlServerOptions,
): Promise<ControlServer> {
  const { socketPath } = options;
  const groupId = options.group === undefined ? undefined : resolveGroupId(options.group);
  const context: ConnectionContext = {
    handlers,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    maxRequestBytes: options.maxRequestBytes ?? MAX_REQUEST_BYTES,
    onError: options.onError ?? (() => {}),
  };

  await prepareSocketPath(socketPath);
  const connections = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
    serveConnection(socket, context);
  });
  server.maxConnections = options.maxConnections ?? 64;
  server.on('error', (error) => context.onError(error, 'control server'));
  await listen(server, socketPath);
  const { ino } = await lstat(socketPath);
  try {
    if (groupId !== undefined) await chown(socketPath, -1, groupId);
    await chmod(socketPath, groupId !== undefined ? OWNER_AND_GROUP_MODE : OWNER_ONLY_MODE);
  } catch (error) {
    server.close();
    throw error;
  }

  return {
    socketPath,
    connectionCount: () => connections.size,
    async close(): Promise<void> {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of connections) socket.destroy();
      await closed;
      // libuv unlinks the path on close; make sure, without removing a newer daemon's socket.
      try {
        if ((await lstat(socketPath)).ino === ino) await unlink(socketPath);
      } catch {
        // already gone
      }
    },
  };
}
