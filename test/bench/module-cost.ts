// What each runtime dependency costs on its own: a fresh `node` imports only that module (or
// nothing, for Node's own floor), waits for start-up work to settle, and reports its resident
// memory (VmRSS, split into anonymous and file-backed pages) and V8 heap. Each is measured
// `--runs` times in fresh processes; the median is shown. This is how the numbers in issue 15
// ("netlink +13, prom-client +13 …") were taken, and how a change of dependency is justified.
//
//   npm run build && node dist/test/bench/module-cost.js [--runs 3] [module …]
//
// No root, no network: it only loads modules.

import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { packageRoot } from '../lab/dist.js';
import { median } from './stats.js';
import { markdownTable } from './table.js';

/** The runtime dependencies of package.json, and the daemon's own entry points. */
const DEFAULT_MODULES = ['netlink', 'raw-socket', 'yaml', 'commander', 'node-gyp-build'];

/** The child: import the module (if any), let start-up garbage settle, print its /proc numbers. */
const CHILD_SOURCE = `
import { readFileSync } from 'node:fs';
const target = process.argv[1];
if (target !== '') globalThis.kept = await import(target);
await new Promise((resolve) => setTimeout(resolve, 1500));
const status = readFileSync('/proc/self/status', 'utf8');
const kib = (field) => Number(new RegExp('^' + field + ':\\\\s+(\\\\d+)', 'm').exec(status)?.[1] ?? NaN);
const memory = process.memoryUsage();
process.stdout.write(JSON.stringify({
  rssKiB: kib('VmRSS'), anonKiB: kib('RssAnon'), fileKiB: kib('RssFile'),
  heapUsedKiB: memory.heapUsed / 1024, heapTotalKiB: memory.heapTotal / 1024,
}));
`;

export interface ModuleCost {
  rssKiB: number;
  anonKiB: number;
  fileKiB: number;
  heapUsedKiB: number;
  heapTotalKiB: number;
}

/** One fresh process importing `specifier` ('' for none), run from the package root. */
export function measureImport(specifier: string, nodeArgs: string[] = []): ModuleCost {
  const result = spawnSync(
    process.execPath,
    [...nodeArgs, '--input-type=module', '-e', CHILD_SOURCE, specifier],
    { cwd: packageRoot(), encoding: 'utf8', timeout: 30_000 },
  );
  if (result.status !== 0) throw new Error(`importing ${specifier || '(nothing)'}: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as ModuleCost;
}

function medianCost(samples: ModuleCost[]): ModuleCost {
  const pick = (key: keyof ModuleCost) => median(samples.map((s) => s[key]));
  return {
    rssKiB: pick('rssKiB'),
    anonKiB: pick('anonKiB'),
    fileKiB: pick('fileKiB'),
    heapUsedKiB: pick('heapUsedKiB'),
    heapTotalKiB: pick('heapTotalKiB'),
  };
}

function main(): void {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: { runs: { type: 'string', default: '3' } },
    allowPositionals: true,
  });
  const runs = Math.max(1, Number(values.runs));
  const modules = positionals.length > 0 ? positionals : DEFAULT_MODULES;
  const measure = (specifier: string) =>
    medianCost(Array.from({ length: runs }, () => measureImport(specifier)));
  const floor = measure('');
  const mib = (kib: number) => (kib / 1024).toFixed(1);
  const plus = (kib: number) => `${kib >= 0 ? '+' : ''}${mib(kib)}`;
  const rows = [
    ['(bare node)', mib(floor.rssKiB), '', mib(floor.anonKiB), mib(floor.fileKiB), mib(floor.heapUsedKiB)],
  ];
  for (const name of modules) {
    const cost = measure(name);
    rows.push([
      name,
      mib(cost.rssKiB),
      plus(cost.rssKiB - floor.rssKiB),
      plus(cost.anonKiB - floor.anonKiB),
      plus(cost.fileKiB - floor.fileKiB),
      plus(cost.heapUsedKiB - floor.heapUsedKiB),
    ]);
  }
  process.stdout.write(
    `Node ${process.version}, median of ${runs} fresh processes each, 1.5 s after the import\n\n` +
      markdownTable(
        ['Module imported alone', 'RSS MiB', 'over bare node', 'anonymous', 'file-backed', 'V8 heap used'],
        ['left', 'right', 'right', 'right', 'right', 'right'],
        rows,
      ),
  );
}

main();
