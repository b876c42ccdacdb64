// The contract between the control server (control/server.ts) and the unix stream listener under
// it (native/src/unix_server.cc through kernel/native.ts), and between the metrics endpoint
// (control/metrics-http.ts) and the same listener on TCP: types only, here because control may
// not import kernel and both may import runtime.

/** What the listener reports, by connection id. */
export const enum StreamEvent {
  connection = 0,
  /** data: the bytes read (a Buffer). */
  data = 1,
  end = 2,
  /** data: the errno; id 0 is the listener itself (accept). */
  error = 3,
  close = 4,
}

export type StreamEvents = (kind: StreamEvent, id: number, data: Buffer | number) => void;

/** A listening unix stream socket. Every connection ends with a `close` event, whoever closed it. */
export interface StreamListener {
  /** 0, or -errno when the connection is gone. */
  write(id: number, data: Buffer): number;
  /** Closes the connection once what was written is out. */
  end(id: number): void;
  destroy(id: number): void;
  pause(id: number): void;
  resume(id: number): void;
  /** Stops listening and closes every connection. */
  close(): void;
}

/** A listening TCP socket (the metrics endpoint), on the same listener as the unix one. */
export interface TcpStreamListener extends StreamListener {
  /** The bound address: the real port when 0 was asked for. */
  address(): { host: string; port: number };
}

export interface TcpStreams {
  /** Binds `host` (the first address it resolves to) and listens; throws (errno, syscall) when it cannot. */
  listen(host: string, port: number, backlog: number, onEvent: StreamEvents): TcpStreamListener;
}

export interface UnixStreams {
  /** Binds and listens on `path`; throws (errno, syscall) when it cannot. */
  listen(path: string, backlog: number, onEvent: StreamEvents): StreamListener;
  /** Whether something accepts connections on `path` (a live daemon): a stale file is not. */
  answers(path: string): boolean;
}
