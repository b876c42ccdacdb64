// Reads a V8 CPU profile (`node --cpu-prof`, a .cpuprofile JSON file) and prints where the time
// went: the functions with the most self time, with their share of the profile, and the same
// grouped by source file. Used on the daemon at 50 idle instances (footprint-probe.ts with
// --node-args="--cpu-prof --cpu-prof-dir=DIR") to decide what the idle CPU work is (issue 15).
//
//   node dist/test/bench/profile-summary.js FILE.cpuprofile [--top 25] [--skip SECONDS]

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { markdownTable } from './table.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  /** µs */
  selfUs: number;
}

/**
 * Self time per function (µs), from the samples and their time deltas; samples in the first
 * `skipUs` of the profile (start-up, election) are left out, to see the steady state.
 */
export function selfTimes(profile: CpuProfile, skipUs = 0): SelfTime[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, SelfTime>();
  let elapsedUs = 0;
  profile.samples.forEach((id, i) => {
    elapsedUs += profile.timeDeltas[i] ?? 0;
    if (elapsedUs < skipUs) return;
    const node = byId.get(id);
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : '';
    const key = `${functionName}@${where}`;
    const entry = totals.get(key) ?? { name: functionName || '(anonymous)', where, selfUs: 0 };
    entry.selfUs += profile.timeDeltas[i + 1] ?? 0;
    totals.set(key, entry);
  });
  return [...totals.values()].sort((a, b) => b.selfUs - a.selfUs);
}

function main(): void {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: { top: { type: 'string', default: '25' }, skip: { type: 'string', default: '0' } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (!file) throw new Error('usage: profile-summary FILE.cpuprofile [--top N] [--skip SECONDS]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const times = selfTimes(profile, Number(values.skip) * 1e6);
  const total = times.reduce((sum, t) => sum + t.selfUs, 0);
  const wallS = (profile.endTime - profile.startTime) / 1e6;
  const busy = times.filter((t) => t.name !== '(idle)').reduce((sum, t) => sum + t.selfUs, 0);
  const pct = (us: number) => `${((100 * us) / total).toFixed(1)} %`;
  const ms = (us: number) => (us / 1000).toFixed(1);
  process.stdout.write(
    `${file}: ${wallS.toFixed(1)} s profiled, ${ms(busy)} ms not idle\n\n` +
      markdownTable(
        ['Function', 'Where', 'Self ms', 'Share'],
        ['left', 'left', 'right', 'right'],
        times.slice(0, Number(values.top)).map((t) => [t.name, t.where, ms(t.selfUs), pct(t.selfUs)]),
      ),
  );
}

main();
