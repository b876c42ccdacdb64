#!/usr/bin/env node
// vrrpctl: ask a running vrrpd what state it is in (status, stats), or tell it to reload or resend
// gratuitous ARP. Talks to the daemon's unix control socket; see src/control/protocol.ts.

import { runVrrpctl } from './vrrpctl-program.js';

// `vrrpctl status | head` closes stdout early: that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

// No top-level await: the package ships this as a CommonJS bundle (packaging/bundle.ts).
void runVrrpctl(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
  columns: process.stdout.columns,
}).then((code) => {
  process.exitCode = code;
});
