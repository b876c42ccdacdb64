// The soak (`npm run soak`, soak.ts) as one row of the bench table: run.ts starts it as a child
// with a shorter or the full duration and reads its verdict lines back. Parsing is pure and tested.

import { spawn } from 'node:child_process';
import { distPath } from '../lab/dist.js';

export interface SoakSummary {
  minutes: number;
  instances: number;
  /** Per router: resident memory over the second half and at the start, MiB. */
  routers: Array<{ router: string; lowMiB: number; highMiB: number; startMiB: number }>;
  /** Every check passed (soak.ts's SOAK PASSED). */
  passed: boolean;
  /** The failed checks' lines, if any. */
  failures: string[];
}

const RSS_LINE =
  /^- (PASS|FAIL) (\S+) resident memory: ([\d.]+) MiB\.\.([\d.]+) MiB over the second half .*; start ([\d.]+) MiB$/;

/** Reads soak.ts's output (its verdict lines); null when there is no verdict in it. */
export function parseSoakOutput(text: string, minutes: number, instances: number): SoakSummary | null {
  const lines = text.split('\n');
  const routers = lines.flatMap((line) => {
    const match = RSS_LINE.exec(line);
    return match
      ? [
          {
            router: match[2]!,
            lowMiB: Number(match[3]),
            highMiB: Number(match[4]),
            startMiB: Number(match[5]),
          },
        ]
      : [];
  });
  const passed = lines.some((line) => line.trim() === 'SOAK PASSED');
  const failed = lines.some((line) => line.trim() === 'SOAK FAILED');
  if (routers.length === 0 && !passed && !failed) return null;
  return {
    minutes,
    instances,
    routers,
    passed,
    failures: lines.filter((line) => line.startsWith('- FAIL ')).map((line) => line.slice(2)),
  };
}

/** Runs dist/test/bench/soak.js as a child for `minutes` (bounded) and summarises it. */
export function runSoak(
  minutes: number,
  sampleSeconds: number,
  progress: (line: string) => void,
): Promise<SoakSummary> {
  const instances = 50;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        distPath('test/bench/soak.ts'),
        '--minutes',
        String(minutes),
        '--sample-seconds',
        String(sampleSeconds),
        '--instances',
        String(instances),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // Settling and tear-down on top of the soak itself; the child kills its own lab on SIGTERM.
    const limit = setTimeout(() => child.kill('SIGTERM'), (minutes * 60 + 180) * 1000);
    child.on('close', () => {
      clearTimeout(limit);
      const summary = parseSoakOutput(stdout, minutes, instances);
      if (!summary) {
        reject(new Error(`soak gave no verdict: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
        return;
      }
      progress(`soak: ${summary.passed ? 'passed' : `failed (${summary.failures.join('; ')})`}`);
      resolve(summary);
    });
  });
}
