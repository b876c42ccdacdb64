// Command-line options of the benchmark runner (run.ts); see there for their meaning.

import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../lab/dist.js';

export const SECTIONS = ['failover', 'footprint', 'startup', 'timing', 'soak'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  quick: boolean;
  repetitions: number;
  footprintSeconds: number;
  timingSeconds: number;
  /** Duration of the soak section (soak.ts as a child). */
  soakMinutes: number;
  sections: Section[];
  out: string;
}

function positiveInteger(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got ${text}`);
  return value;
}

export function parseBenchOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      reps: { type: 'string' },
      'footprint-seconds': { type: 'string' },
      'timing-seconds': { type: 'string' },
      'soak-minutes': { type: 'string' },
      only: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  const quick = values.quick === true;
  const sections = (values.only ?? SECTIONS.join(',')).split(',').map((s) => s.trim());
  for (const section of sections) {
    if (!(SECTIONS as readonly string[]).includes(section)) {
      throw new Error(`--only: unknown section ${section} (use ${SECTIONS.join(', ')})`);
    }
  }
  return {
    quick,
    repetitions: positiveInteger(values.reps ?? env.BENCH_REPS, quick ? 1 : 5, '--reps'),
    footprintSeconds: positiveInteger(
      values['footprint-seconds'] ?? env.BENCH_FOOTPRINT_SECONDS,
      quick ? 10 : 60,
      '--footprint-seconds',
    ),
    timingSeconds: positiveInteger(
      values['timing-seconds'] ?? env.BENCH_TIMING_SECONDS,
      quick ? 10 : 60,
      '--timing-seconds',
    ),
    soakMinutes: positiveInteger(
      values['soak-minutes'] ?? env.BENCH_SOAK_MINUTES,
      quick ? 2 : 10,
      '--soak-minutes',
    ),
    sections: sections as Section[],
    out: values.out ?? join(packageRoot(), 'test', 'bench', 'results', 'latest.md'),
  };
}
