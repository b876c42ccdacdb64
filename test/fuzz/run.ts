// `npm run fuzz` (= npm run build && node dist/test/fuzz/run.js [options]): the fuzz targets of
// fuzz.test.ts with many more cases and the configuration generators at full scale (past every
// budget of the reader). Each target runs in a worker thread watched by this one: a case that
// makes no progress for --hang-ms is a hang, and the worker is terminated. Any failure or hang
// prints the seed, the case's position and the input itself, and the exit status is 1.
//
// Options:
//   --runs N        cases per target (default: 200000 packets, 5000 configurations)
//   --seed S        first seed (default: the clock); batch b uses seed S + b
//   --target T      packet | config | all (default all)
//   --hang-ms MS    a single case running longer than this is a hang (default 10000)

import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { anyConfig, checkConfig, FULL_SCALE } from './config-fuzz.js';
import { anyPacket, checkPacket, ReceiverUnderTest } from './packet-fuzz.js';

type Target = 'packet' | 'config';
const BATCH = 200;

interface Job {
  target: Target;
  runs: number;
  seed: number;
  /** Shared with the watcher: [0] = index of the case being run, [1] = 1 once finished. */
  progress: SharedArrayBuffer;
}

type WorkerReport =
  | { kind: 'failure'; index: number; batchSeed: number; input: string; error: string }
  | { kind: 'done'; runs: number; slowestMs: number; slowestInput: string };

function arbitraryOf(target: Target): fc.Arbitrary<unknown> {
  return target === 'packet' ? anyPacket : anyConfig(FULL_SCALE);
}

/** The inputs of one batch: the same seed always gives the same inputs (replays a hang). */
function batchInputs(target: Target, batchSeed: number, size: number): unknown[] {
  return fc.sample(arbitraryOf(target), { seed: batchSeed, numRuns: size });
}

function describeInput(input: unknown): string {
  const text = Buffer.isBuffer(input) ? input.toString('hex') : fc.stringify(input);
  return text.length > 20_000 ? `${text.slice(0, 20_000)}… (${text.length} characters)` : text;
}

function runWorker(job: Job): void {
  const progress = new Int32Array(job.progress);
  let slowestMs = 0;
  let slowestInput = '';
  for (let start = 0; start < job.runs; start += BATCH) {
    const batchSeed = job.seed + start / BATCH;
    const inputs = batchInputs(job.target, batchSeed, Math.min(BATCH, job.runs - start));
    const receiver = new ReceiverUnderTest();
    for (let i = 0; i < inputs.length; i++) {
      Atomics.store(progress, 0, start + i);
      const input = inputs[i];
      const startedAt = performance.now();
      try {
        if (job.target === 'packet') checkPacket(input as Buffer, receiver);
        else checkConfig(input as Parameters<typeof checkConfig>[0]);
      } catch (error) {
        parentPort!.postMessage({
          kind: 'failure',
          index: start + i,
          batchSeed,
          input: describeInput(input),
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        } satisfies WorkerReport);
      }
      const elapsed = performance.now() - startedAt;
      if (elapsed > slowestMs) {
        slowestMs = elapsed;
        slowestInput = describeInput(input).slice(0, 300);
      }
    }
  }
  Atomics.store(progress, 1, 1);
  parentPort!.postMessage({ kind: 'done', runs: job.runs, slowestMs, slowestInput } satisfies WorkerReport);
}

async function watch(job: Omit<Job, 'progress'>, hangMs: number): Promise<boolean> {
  const progress = new SharedArrayBuffer(8);
  const counters = new Int32Array(progress);
  const worker = new Worker(new URL(import.meta.url), { workerData: { ...job, progress } });
  const started = Date.now();
  let ok = true;
  let finished = false;
  worker.on('message', (report: WorkerReport) => {
    if (report.kind === 'failure') {
      ok = false;
      process.stdout.write(
        `\n[${job.target}] FAILURE at case ${report.index} (batch seed ${report.batchSeed}):\n` +
          `${report.error}\ninput: ${report.input}\n`,
      );
    } else {
      finished = true;
      process.stdout.write(
        `[${job.target}] ${report.runs} cases in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
          `slowest ${report.slowestMs.toFixed(0)} ms: ${report.slowestInput}\n`,
      );
    }
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let lastIndex = -1;
  let lastChange = Date.now();
  while (!finished) {
    const outcome = await Promise.race([
      exited.then(() => 'exit' as const),
      new Promise<'tick'>((resolve) => setTimeout(() => resolve('tick'), 250)),
    ]);
    if (outcome === 'exit') break;
    const index = Atomics.load(counters, 0);
    if (index !== lastIndex) {
      lastIndex = index;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > hangMs && Atomics.load(counters, 1) === 0) {
      await worker.terminate();
      const batchSeed = job.seed + Math.floor(index / BATCH);
      const [input] = batchInputs(job.target, batchSeed, BATCH).slice(index % BATCH);
      process.stdout.write(
        `\n[${job.target}] HANG: case ${index} (batch seed ${batchSeed}) ran over ${hangMs} ms\n` +
          `input: ${describeInput(input)}\n`,
      );
      return false;
    }
  }
  await exited;
  if (!finished) {
    process.stdout.write(`[${job.target}] worker exited before finishing (crash?) at case ${lastIndex}\n`);
    return false;
  }
  return ok;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string' },
      seed: { type: 'string' },
      target: { type: 'string', default: 'all' },
      'hang-ms': { type: 'string', default: '10000' },
    },
    strict: true,
  });
  const seed = values.seed === undefined ? Date.now() % 1_000_000_000 : Number(values.seed);
  const hangMs = Number(values['hang-ms']);
  const targets: Target[] = values.target === 'all' ? ['packet', 'config'] : [values.target as Target];
  if (!targets.every((t) => t === 'packet' || t === 'config') || !Number.isInteger(seed) || !(hangMs > 0)) {
    throw new Error('usage: run.js [--runs N] [--seed S] [--target packet|config|all] [--hang-ms MS]');
  }
  process.stdout.write(`vrrpd fuzz: seed ${seed}, targets ${targets.join(', ')}\n`);
  let ok = true;
  for (const target of targets) {
    const runs = values.runs === undefined ? (target === 'packet' ? 200_000 : 5000) : Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer`);
    ok = (await watch({ target, runs, seed }, hangMs)) && ok;
  }
  process.stdout.write(ok ? 'FUZZ PASSED\n' : `FUZZ FAILED (replay with --seed ${seed})\n`);
  process.exitCode = ok ? 0 : 1;
}

if (isMainThread) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
} else {
  runWorker(workerData as Job);
}
