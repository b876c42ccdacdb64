// One footprint configuration in detail, for trying a change before it goes into the bench: the
// same lab and configuration as footprint-bench.ts, but one daemon kind, with optional node
// flags or another entry point (a bundle), and the resident memory split into anonymous pages
// (V8 heap, malloc) and file-backed ones (node's binary, libraries, addons).
//
//   npm run build && node dist/test/bench/footprint-probe.js [--instances 50] [--extras]
//       [--seconds 10] [--runs 1] [--node-args="--max-semi-space-size=1"] [--entry FILE] [--keepalived]
//
// By default vrrpd runs as the lab runs it (the unit's node flags, the bundle); --node-args and
// --entry replace the flags and the script.
//
// Needs root (namespaces, raw sockets). Not a test.

import { parseArgs } from 'node:util';
import { vrrpdCommand } from '../lab/vrrpd-command.js';
import { requireRoot } from '../lab/root.js';
import { measureFootprint, type FootprintSample } from './footprint-bench.js';
import { markdownTable } from './table.js';

function warnings(records: Array<Record<string, unknown>>): string[] {
  return records
    .filter(
      (r) => r.level === 'warn' || r.level === 'error' || (typeof r.level === 'number' && r.level >= 40),
    )
    .map((r) => JSON.stringify(r));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      instances: { type: 'string', default: '50' },
      extras: { type: 'boolean', default: false },
      seconds: { type: 'string', default: '10' },
      runs: { type: 'string', default: '1' },
      'node-args': { type: 'string' },
      entry: { type: 'string' },
      keepalived: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const notRunnable = requireRoot();
  if (notRunnable !== undefined) {
    process.stderr.write(`footprint-probe: ${notRunnable}\n`);
    return 2;
  }
  const [, ...unitFlags] = vrrpdCommand();
  const unitEntry = unitFlags.pop()!;
  const nodeArgs =
    values['node-args'] === undefined ? unitFlags : values['node-args'].split(/\s+/).filter(Boolean);
  const entry = values.entry ?? unitEntry;
  const samples: FootprintSample[] = [];
  for (let run = 0; run < Number(values.runs); run++) {
    samples.push(
      await measureFootprint(
        {
          kind: values.keepalived ? 'keepalived' : 'vrrpd',
          instances: Number(values.instances),
          extras: values.extras ? 'metrics+uplinks' : 'plain',
        },
        Number(values.seconds),
        {
          daemonSet: { vrrpdCommand: [process.execPath, ...nodeArgs, entry] },
          // What went wrong or was warned about, so a broken variant is not measured unawares.
          onSettled: (master, backup) => {
            for (const daemon of [master, backup]) {
              const notes = daemon.kind === 'vrrpd' ? warnings(daemon.records()) : [];
              for (const note of notes) process.stderr.write(`${daemon.role}: ${note}\n`);
            }
          },
        },
      ),
    );
  }
  const mib = (kib: number) => (kib / 1024).toFixed(1);
  const rows = samples.flatMap((sample, i) =>
    (['master', 'backup'] as const).map((role) => {
      const usage = sample[role];
      return [
        String(i + 1),
        role,
        mib(usage.rssKiB),
        mib(usage.anonKiB),
        mib(usage.fileKiB),
        usage.cpuSeconds.toFixed(2),
      ];
    }),
  );
  process.stdout.write(
    `${values.keepalived ? 'keepalived' : `node ${[...nodeArgs, entry].join(' ')}`}, ` +
      `${values.instances} instances${values.extras ? ', metrics + uplink group' : ''}, ` +
      `${values.seconds} s idle window\n\n` +
      markdownTable(
        ['Run', 'Router', 'RSS MiB', 'anonymous', 'file-backed', `CPU s`],
        ['right', 'left', 'right', 'right', 'right', 'right'],
        rows,
      ),
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`footprint-probe: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
