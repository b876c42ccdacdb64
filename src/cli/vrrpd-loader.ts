#!/usr/bin/env node
// vrrpd's entry point (dist/vrrpd.cjs, /usr/bin/vrrpd): runs the daemon's bundle
// (dist/vrrpd-main.cjs) through a V8 code cache when it has one. Why (issue 15, start to first
// advert): compiling the ~0.7 MB bundle and the functions a start runs costs ~30 ms of a start
// that keepalived does in ~20 ms; with the cache V8 deserialises that work instead (spawn to
// BACKUP 116 -> 85 ms median, 12 starts each, same machine).
//
// The cache lives where systemd says a service's cache goes: $CACHE_DIRECTORY (the unit's
// CacheDirectory=vrrpd, /var/cache/vrrpd), and only with the unit's --verify-snapshot-checksum.
// Without them (vrrpd run by hand, -t, --version) nothing is read or written. A start without a usable cache (first start, a new bundle, another node or
// other V8 flags: V8 rejects such a cache itself) writes one a few seconds later, once the start-up
// functions have been compiled, so that they are in it (or at exit, if it stops sooner). The file
// name carries the bundle's content hash (computed at build time) and node's version, so a cache
// never meets another bundle.
// Only node built-ins and the timer service here: this file is loaded before everything else.

import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { systemTimers } from '../runtime/timers.js';

declare const VRRPD_BUNDLE_HASH: string;

/** How long after the start the cache is written: the start-up's functions are compiled by then. */
const WRITE_AFTER_MS = 5000;

const bundle = join(dirname(fileURLToPath(import.meta.url)), 'vrrpd-main.cjs');
// V8 verifies a code cache's checksum only with --verify-snapshot-checksum (the unit passes it);
// without it a damaged file could crash the process as it is deserialised, so no cache is used.
const verified = process.execArgv.includes('--verify-snapshot-checksum');
const cacheDirectory = verified ? process.env.CACHE_DIRECTORY?.split(':')[0] : undefined;
const cacheFile = cacheDirectory
  ? join(cacheDirectory, `vrrpd-${VRRPD_BUNDLE_HASH}-node${process.version}-${process.arch}.cache`)
  : undefined;

let cachedData: Buffer | undefined;
if (cacheFile) {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet (or unreadable): compile from source, write one below.
  }
}

let source = readFileSync(bundle, 'utf8');
// A #! line is not JavaScript inside the wrapper; keep its newline so line numbers stay.
if (source.startsWith('#!')) source = source.slice(source.indexOf('\n'));
// The CommonJS wrapper node gives a module, so the bundle runs as if required.
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: bundle,
  ...(cachedData ? { cachedData } : {}),
});

const writeCache = cacheFile !== undefined && (!cachedData || script.cachedDataRejected === true);
// Nothing of the file or the cache text stays alive once compiled (V8 keeps its own source copy).
source = '';
cachedData = undefined;

if (writeCache && cacheFile) {
  let written = false;
  const write = (): void => {
    if (written) return;
    written = true;
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
      renameSync(temporary, cacheFile);
    } catch {
      // A cache is an optimisation: a read-only or full directory only costs the next start time.
      try {
        unlinkSync(temporary);
      } catch {
        // Nothing was written.
      }
    }
  };
  // Whichever comes first: some seconds into the run, or its end (a daemon stopped sooner).
  systemTimers.after(WRITE_AFTER_MS, write, { unref: true });
  process.once('exit', write);
}

const run = script.runInThisContext() as (
  exports: unknown,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dirname: string,
) => void;
const main = { exports: {} };
run(main.exports, createRequire(bundle), main, bundle, dirname(bundle));
