// Node built-in modules the daemon needs only for some configurations, loaded on first use rather
// than at start-up (issue 15). Each one costs start-up time on the way to the first advert and
// resident memory (its source and code, read out of node's binary, and its objects) that a plain
// keepalived.conf never uses: node:dgram (BFD, UDP open checks, DNS probes; loading it also starts
// node's resolver), node:child_process (notify and track scripts, mkfifo, nft), node:dns/promises
// (uplink site names), node:net (the uplinks' TCP probes and /dev/tcp open checks: loading it pulls in
// streams and more, ~0.9 MiB with what net.Server brought, issue 15). No I/O happens here: the
// modules are part of node itself.

import { createRequire } from 'node:module';

const requireBuiltin = createRequire(import.meta.url);

/** A getter that loads `name` the first time it is called. */
export function lazyBuiltin<T>(name: `node:${string}`): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireBuiltin(name) as T);
}

export const childProcess = lazyBuiltin<typeof import('node:child_process')>('node:child_process');
export const dgram = lazyBuiltin<typeof import('node:dgram')>('node:dgram');
export const net = lazyBuiltin<typeof import('node:net')>('node:net');
export const dnsPromises = lazyBuiltin<typeof import('node:dns/promises')>('node:dns/promises');
