// The optional HTTP endpoint for Prometheus (off unless `--metrics-listen HOST:PORT` or the config
// asks for it). It serves GET /metrics and nothing else of substance.
//
// HTTP/1.1 spoken here, on the addon's TCP listener (runtime/unix-streams.ts), not node:http: a
// scraper sends one small GET; the answer carries Content-Length and closes the connection. That
// needs a request line and the end of the headers, which is all this reads; node:http with
// node:net cost ~2.7 MiB of resident memory (issue 15). Requests larger than 16 KiB, or not
// complete within 10 s, are answered 431 / dropped.

import type { MetricsRegistry } from './metrics.js';
import { StreamEvent, type TcpStreams, type TcpStreamListener } from '../runtime/unix-streams.js';
import { systemTimers, type TimerHandle } from '../runtime/timers.js';
import { asError } from '../runtime/errors.js';

export const DEFAULT_METRICS_PORT = 9650;

export interface ListenAddress {
  host: string;
  port: number;
}

export class ListenAddressError extends Error {
  readonly code = 'VRRPD_E_METRICS_LISTEN';
  constructor(text: string, reason: string) {
    super(`invalid metrics listen address "${text}": ${reason} (expected HOST:PORT, e.g. 127.0.0.1:9650)`);
    this.name = 'ListenAddressError';
  }
}

/** Parses `127.0.0.1:9650`, `[::1]:9650` or `localhost:9650`. The host is required: no implicit 0.0.0.0. */
export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text.trim());
  if (!match) throw new ListenAddressError(text, 'not HOST:PORT');
  const host = match[1] ?? match[2]!;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) throw new ListenAddressError(text, 'port must be 1..65535');
  return { host, port };
}

export interface MetricsServer {
  /** The bound address (the real port when 0 was asked for). */
  readonly address: ListenAddress;
  close(): Promise<void>;
}

export interface MetricsServerOptions extends ListenAddress {
  registry: MetricsRegistry;
  /** The TCP listener (kernel/native.ts tcpStreams). */
  streams: TcpStreams;
  onError?: (error: unknown) => void;
}

const MAX_REQUEST_BYTES = 16 * 1024;
const REQUEST_TIMEOUT_MS = 10_000;
const BACKLOG = 16;

const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
};

interface Reply {
  status: number;
  type: string;
  body: string;
  headers?: Record<string, string>;
}

const text = (status: number, body: string, headers?: Record<string, string>): Reply => ({
  status,
  type: 'text/plain',
  body,
  ...(headers ? { headers } : {}),
});

/** The reply to one request line (`GET /metrics HTTP/1.1`), the registry read only for /metrics. */
async function answer(line: string, options: MetricsServerOptions): Promise<Reply & { head: boolean }> {
  const match = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(line);
  if (!match) return { ...text(400, 'bad request\n'), head: false };
  const method = match[1]!;
  const head = method === 'HEAD';
  if (method !== 'GET' && !head)
    return { ...text(405, 'method not allowed\n', { allow: 'GET, HEAD' }), head };
  const path = match[2]!.split('?')[0];
  if (path === '/') return { ...text(200, 'vrrpd metrics: see /metrics\n'), head };
  if (path !== '/metrics') return { ...text(404, 'not found\n'), head };
  try {
    return { status: 200, type: options.registry.contentType, body: await options.registry.metrics(), head };
  } catch (error) {
    options.onError?.(error);
    return { ...text(500, 'collecting metrics failed\n'), head };
  }
}

function encodeReply(reply: Reply, head: boolean): Buffer {
  const body = Buffer.from(reply.body, 'utf8');
  const lines = [
    `HTTP/1.1 ${reply.status} ${REASONS[reply.status] ?? ''}`,
    `content-type: ${reply.type}`,
    `content-length: ${body.length}`,
    'connection: close',
    ...Object.entries(reply.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
  ];
  const headBytes = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return head ? headBytes : Buffer.concat([headBytes, body]);
}

interface PendingRequest {
  bytes: Buffer;
  timer: TimerHandle;
  answered: boolean;
}

export function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const requests = new Map<number, PendingRequest>();
  const closeWaiters: Array<() => void> = [];
  let closing = false;
  let listener: TcpStreamListener;

  const finish = (id: number, reply: Buffer) => {
    listener.write(id, reply);
    listener.end(id);
  };

  const onData = (id: number, chunk: Buffer) => {
    const request = requests.get(id);
    if (!request || request.answered) return;
    request.bytes = Buffer.concat([request.bytes, chunk]);
    if (!request.bytes.includes('\r\n\r\n')) {
      if (request.bytes.length > MAX_REQUEST_BYTES) {
        request.answered = true;
        finish(id, encodeReply(text(431, 'request too large\n'), false));
      }
      return;
    }
    request.answered = true;
    listener.pause(id);
    const line = request.bytes.subarray(0, request.bytes.indexOf('\r\n')).toString('latin1');
    answer(line, options)
      .then((reply) => {
        if (requests.has(id)) finish(id, encodeReply(reply, reply.head));
      })
      .catch((error: unknown) => {
        options.onError?.(error);
        listener.destroy(id);
      });
  };

  const onEvent = (kind: StreamEvent, id: number, data: Buffer | number) => {
    switch (kind) {
      case StreamEvent.connection:
        requests.set(id, {
          bytes: Buffer.alloc(0),
          answered: false,
          // A scrape takes milliseconds; a stuck client does not hold the socket.
          timer: systemTimers.after(REQUEST_TIMEOUT_MS, () => listener.destroy(id), { unref: true }),
        });
        return;
      case StreamEvent.data:
        if (Buffer.isBuffer(data)) onData(id, data);
        return;
      case StreamEvent.end:
        // The client stopped sending: a request still incomplete never will be.
        if (requests.get(id)?.answered === false) listener.destroy(id);
        return;
      case StreamEvent.error:
        if (id === 0) options.onError?.(new Error(`metrics listener: accept failed (errno ${String(data)})`));
        return;
      case StreamEvent.close:
        requests.get(id)?.timer.cancel();
        requests.delete(id);
        if (closing && requests.size === 0) for (const done of closeWaiters.splice(0)) done();
        return;
    }
  };

  try {
    listener = options.streams.listen(options.host, options.port, BACKLOG, onEvent);
  } catch (error) {
    return Promise.reject(asError(error));
  }
  return Promise.resolve({
    address: listener.address(),
    close: () =>
      new Promise<void>((done) => {
        closing = true;
        listener.close();
        if (requests.size === 0) done();
        else closeWaiters.push(done);
      }),
  });
}
