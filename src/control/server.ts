// The control socket: a unix stream socket (never TCP) speaking the newline-delimited JSON of
// protocol.ts. Access control is the socket file's permissions: 0600 root, or 0660 with a configured
// group. Checking the peer's credentials (SO_PEERCRED) would need the native addon; with the file
// mode as the gate, a process that cannot open the file never reaches us (connect → EACCES).

import { getSystemErrorName } from 'node:util';
import { chmod, chown, lstat, unlink } from '../runtime/fs-async.js';
import { systemTimers, type TimerHandle } from '../runtime/timers.js';
import {
  StreamEvent,
  type StreamEvents,
  type StreamListener,
  type UnixStreams,
} from '../runtime/unix-streams.js';
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
export type { UnixStreams } from '../runtime/unix-streams.js';

export interface ControlServerOptions {
  socketPath: string;
  /** The unix sockets underneath (the native addon's). */
  streams: UnixStreams;
  /** Group (name or gid) whose members may use the socket: mode 0660 and chgrp; otherwise 0600. */
  group?: string | number;
  /** A connection with no request in flight is closed after this long without traffic. */
  idleTimeoutMs?: number;
  maxRequestBytes?: number;
  /** Connections beyond this many open ones are closed as soon as they are accepted. */
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
const LISTEN_BACKLOG = 64;

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

/** One client: newline-delimited requests in, one reply line per request out, in order. */
class Connection {
  private readonly lines: LineBuffer;
  private readonly queue: string[] = [];
  private processing = false;
  private peerEnded = false;
  /** We are ending it (a last error line, or after the peer's end): nothing more is written. */
  private closing = false;
  private closed = false;
  private paused = false;
  private idle: TimerHandle | undefined;

  constructor(
    private readonly id: number,
    private readonly listener: StreamListener,
    private readonly context: ConnectionContext,
  ) {
    this.lines = new LineBuffer(context.maxRequestBytes);
    this.armIdle();
  }

  data(chunk: Buffer): void {
    this.armIdle();
    if (this.closing || this.lines.overflowed) return;
    for (const line of this.lines.push(chunk)) if (line.trim() !== '') this.queue.push(line);
    if (this.queue.length >= MAX_QUEUED_REQUESTS && !this.paused) {
      this.paused = true;
      this.listener.pause(this.id);
    }
    void this.drain();
  }

  end(): void {
    this.peerEnded = true;
    void this.drain();
  }

  error(errno: number): void {
    // A client vanishing mid-reply (EPIPE, ECONNRESET) is routine; log anything else.
    const code = errnoCode(errno);
    if (code !== 'EPIPE' && code !== 'ECONNRESET') {
      this.context.onError(new Error(`control connection: ${code}`), 'control connection');
    }
    this.listener.destroy(this.id);
  }

  closedByListener(): void {
    this.closed = true;
    this.idle?.cancel();
  }

  private armIdle(): void {
    this.idle?.cancel();
    this.idle = systemTimers.after(this.context.idleTimeoutMs, () => this.onIdle(), { unref: true });
  }

  private onIdle(): void {
    // A slow handler (reload) is not the client's idleness.
    if (this.processing || this.queue.length > 0) {
      this.armIdle();
      return;
    }
    this.closeWith(ControlErrorCode.idleTimeout, `no request for ${this.context.idleTimeoutMs} ms; closing`);
  }

  private write(text: string): void {
    if (this.closed || this.closing) return;
    this.armIdle();
    this.listener.write(this.id, Buffer.from(text));
  }

  /** Send a last error line, then close once it is out. */
  private closeWith(code: string, message: string): void {
    if (this.closing || this.closed) return;
    this.write(encodeReply(errorReply(code, message)));
    this.closing = true;
    this.queue.length = 0;
    this.listener.end(this.id);
  }

  private async drain(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    while (this.queue.length > 0 && !this.closing && !this.closed) {
      const line = this.queue.shift()!;
      const parsed = parseRequestLine(line);
      const reply = parsed.ok
        ? await dispatchRequest(this.context.handlers, parsed.request, (error, request) =>
            this.context.onError(error, `control command ${request.command}`),
          )
        : { id: parsed.id, ok: false as const, error: parsed.error };
      this.write(encodeReply(reply));
      if (this.queue.length < MAX_QUEUED_REQUESTS && this.paused) {
        this.paused = false;
        this.listener.resume(this.id);
      }
    }
    this.processing = false;
    if (this.closing || this.closed) return;
    if (this.lines.overflowed) {
      this.closeWith(
        ControlErrorCode.tooLarge,
        `request longer than ${this.context.maxRequestBytes} bytes without a newline`,
      );
    } else if (this.peerEnded) {
      this.closing = true;
      this.listener.end(this.id);
    }
  }
}

function errnoCode(errno: number): string {
  try {
    return getSystemErrorName(-errno);
  } catch {
    return `E${errno}`;
  }
}

/** Listens with the umask narrowed, so the socket is never group/world-accessible, even briefly. */
function listenPrivately(streams: UnixStreams, path: string, onEvent: StreamEvents): StreamListener {
  // bind() creates the file with mode 0777 & ~umask. (Worker threads cannot set the umask.)
  let previousUmask: number | undefined;
  try {
    previousUmask = process.umask(0o177);
  } catch {
    previousUmask = undefined;
  }
  try {
    return streams.listen(path, LISTEN_BACKLOG, onEvent);
  } finally {
    if (previousUmask !== undefined) process.umask(previousUmask);
  }
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

  await prepareSocketPath(socketPath, (path) => options.streams.answers(path));
  const maxConnections = options.maxConnections ?? 64;
  const connections = new Map<number, Connection>();
  let closedAll: (() => void) | undefined;
  const listener = listenPrivately(options.streams, socketPath, (kind, id, data) => {
    switch (kind) {
      case StreamEvent.connection:
        if (connections.size >= maxConnections) listener.destroy(id);
        else connections.set(id, new Connection(id, listener, context));
        return;
      case StreamEvent.data:
        connections.get(id)?.data(data as Buffer);
        return;
      case StreamEvent.end:
        connections.get(id)?.end();
        return;
      case StreamEvent.error:
        if (id === 0) context.onError(new Error(`accept: ${errnoCode(data as number)}`), 'control server');
        else connections.get(id)?.error(data as number);
        return;
      case StreamEvent.close:
        connections.get(id)?.closedByListener();
        connections.delete(id);
        if (connections.size === 0) closedAll?.();
        return;
    }
  });
  const { ino } = await lstat(socketPath);
  try {
    if (groupId !== undefined) await chown(socketPath, -1, groupId);
    await chmod(socketPath, groupId !== undefined ? OWNER_AND_GROUP_MODE : OWNER_ONLY_MODE);
  } catch (error) {
    listener.close();
    throw error;
  }

  return {
    socketPath,
    connectionCount: () => connections.size,
    async close(): Promise<void> {
      const drained =
        connections.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => (closedAll = resolve));
      listener.close();
      await drained;
      // libuv unlinks nothing: remove the path, but never a newer daemon's socket.
      try {
        if ((await lstat(socketPath)).ino === ino) await unlink(socketPath);
      } catch {
        // already gone
      }
    },
  };
}
