// Every directory next to this file is a conformance case: `config` (keepalived.conf), `events.jsonl`
// and `expected-actions.jsonl` (see README.md). Each is replayed through the daemon's parser,
// planner, validation ladder and the pure core, and must produce exactly the expected transcript.
//
// Regenerating an expected file is deliberate: VRRPD_CONFORMANCE_REGENERATE=<case>[,<case>…] (or
// `all`) rewrites those files from the replay and fails the run, so the change is reviewed
// (`git diff`) before the tests pass again. It is refused under CI.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXPECTED_FILE, loadCase, parseEvents } from './case-file.js';
import { formatTranscript, replay } from './run.js';
import { diffTranscripts } from './transcript-diff.js';

const ROOT = dirname(fileURLToPath(import.meta.url));
const REGENERATE = 'VRRPD_CONFORMANCE_REGENERATE';

const CASES = readdirSync(ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

function regenerating(name: string): boolean {
  const wanted = (process.env[REGENERATE] ?? '').split(',').map((s) => s.trim());
  return wanted.includes('all') || wanted.includes(name);
}

function check(name: string): void {
  const c = loadCase(join(ROOT, name), name);
  const actual = formatTranscript(replay(c));
  const file = `${name}/${EXPECTED_FILE}`;
  if (regenerating(name)) {
    if (process.env.CI)
      throw new Error(`${REGENERATE} is refused under CI: expected files are reviewed by a person`);
    if (c.expectedText !== null && diffTranscripts(c.expectedText, actual, file) === null) return;
    writeFileSync(c.expectedPath, actual);
    throw new Error(
      `${file} ${c.expectedText === null ? 'written' : 'rewritten'} from the replay: review it (git diff), then rerun without ${REGENERATE}`,
    );
  }
  if (c.expectedText === null) {
    throw new Error(
      `${file} is missing: write it from the RFC, or generate it with ${REGENERATE}=${name} and review every line`,
    );
  }
  const diff = diffTranscripts(c.expectedText, actual, file);
  if (diff !== null) expect.fail(`${name}: the replay differs from ${file} (- expected, + replay)\n${diff}`);
}

describe('conformance cases (RFC 3768 / RFC 5798 / keepalived as transcripts)', () => {
  it('finds the cases', () => {
    expect(CASES.length).toBeGreaterThan(0);
  });

  for (const name of CASES) it(name, () => check(name));

  it('README.md lists every case, and only existing ones', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| \[`([^`]+)`\]\(\1\/\) *\|/gm)].map((m) => m[1]!);
    expect([...listed].sort()).toEqual(CASES);
  });
});

describe('conformance runner', () => {
  it('shows a mismatch as a line diff numbered by the expected file', () => {
    const expected = ['{"at":0,"type":"a"}', '{"at":1,"type":"b"}', '{"at":2,"type":"c"}'].join('\n');
    const actual = ['{"type":"a","at":0}', '{"at":1,"type":"B"}', '{"at":2,"type":"c"}'].join('\n');
    expect(diffTranscripts(expected, actual, 'x')).toBe(
      [
        '     1 {"at":0,"type":"a"}',
        '-    2 {"at":1,"type":"b"}',
        '+      {"at":1,"type":"B"}',
        '     3 {"at":2,"type":"c"}',
      ].join('\n'),
    );
    expect(diffTranscripts(expected, expected, 'x')).toBeNull();
  });

  it('refuses event lines it does not understand instead of ignoring them', () => {
    expect(() => parseEvents('{"at":0,"event":{"type":"startup","instnace":"VI_1"}}')).toThrow(
      /unknown field/,
    );
    expect(() => parseEvents('{"at":0,"event":{"type":"advert","source":"192.0.2.3"}}')).toThrow(
      /needs "priority"/,
    );
    expect(() => parseEvents('{"at":5,"event":{"type":"startup"}}\n{"at":4,"event":{"type":"end"}}')).toThrow(
      /backwards/,
    );
    expect(() => parseEvents('{"at":0,"event":{"type":"timer","timer":"adver","generation":1}}')).toThrow(
      /not one of/,
    );
  });
});
