// Child for native.test.ts: applies the process tuning a daemon would (mlockall, nice,
// real-time scheduling) through the compiled NativeOps, then reports what the kernel says
// about this process and about a process it forks. Exits normally, which also proves the
// munlockall-at-exit guard (V8 aborts at teardown with locked memory otherwise).

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadNative } from '../../../src/kernel/native.js';

/** Fields of /proc/<pid>/stat by their 1-based number in proc(5). */
function statFields(text: string): (field: number) => number {
  const afterName = text
    .slice(text.lastIndexOf(')') + 2)
    .trim()
    .split(' ');
  return (field) => Number(afterName[field - 3]);
}

const native = loadNative();
native.mlockall(true, false);
native.setPriority(7);
native.setRealtimeScheduler('rr', 10);

const self = statFields(readFileSync('/proc/self/stat', 'utf8'));
const lockedKb = Number(/VmLck:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
const forked = statFields(execFileSync('cat', ['/proc/self/stat'], { encoding: 'utf8' }));

process.stdout.write(
  `${JSON.stringify({
    lockedKb,
    nice: self(19),
    rtPriority: self(40),
    policy: self(41),
    forkedPolicy: forked(41),
    forkedRtPriority: forked(40),
  })}\n`,
);
