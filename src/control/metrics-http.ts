// The optional HTTP endpoint for Prometheus (off unless `--metrics-listen HOST:PORT` or the config
// asks for it). It serves GET /metrics and nothing else of substance.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsRegistry } from './metrics.js';

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
  onError?: (error: unknown) => void;
}

async function respond(
  request: IncomingMessage,
  response: ServerResponse,
  options: MetricsServerOptions,
): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
    return;
  }
  if (path === '/') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('vrrpd metrics: see /metrics\n');
    return;
  }
  if (path !== '/metrics') {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  try {
    const body = await options.registry.metrics();
    response.writeHead(200, { 'content-type': options.registry.contentType });
    response.end(request.method === 'HEAD' ? undefined : body);
  } catch (error) {
    options.onError?.(error);
    response.writeHead(500, { 'content-type': 'text/plain' }).end('collecting metrics failed\n');
  }
}

export function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    respond(request, response, options).catch((error: unknown) => {
      options.onError?.(error);
      response.destroy();
    });
  });
  // A scrape should take milliseconds; do not let a stuck client hold sockets open.
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      server.on('error', (error) => options.onError?.(error));
      const bound = server.address() as AddressInfo;
      resolve({
        address: { host: bound.address, port: bound.port },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
