// The CI-sized fuzz run (a few thousand cases per target, the whole file in well under 30 s);
// `npm run fuzz` (run.ts) runs the same targets with many more cases and a hang watchdog.
// A failure prints fast-check's seed and the shrunk input: replay with `npm run fuzz -- --seed N`.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/parse-config.js';
import { DropReason } from '../../src/packet/types.js';
import { buildBlockTree, MAX_BLOCK_DEPTH } from '../../src/config/language/block-tree.js';
import { DiagnosticSink } from '../../src/config/report/diagnostics.js';
import { MAX_BRACE_ALTERNATIVES } from '../../src/config/language/glob.js';
import { MAX_EXPANDED_LENGTH } from '../../src/config/language/parameters.js';
import { MAX_FILES_READ, MAX_TOTAL_LINES } from '../../src/config/language/preprocess.js';
import { anyConfig, checkConfig, CI_SCALE, configSeeds, type ConfigCase } from './config-fuzz.js';
import {
  anyPacket,
  checkDecoders,
  craftedPacket,
  fixtureBytes,
  IPV4_FIXTURES,
  IPV6_FIXTURES,
  mutatedFixture,
  mutatedIpv6Fixture,
  randomBytes,
  ReceiverUnderTest,
} from './packet-fuzz.js';

const PACKET_RUNS = 3000;
const CONFIG_RUNS = 1500;

describe('packet decoders and validation ladder under fuzzing', () => {
  it('the golden captures themselves pass the checks (the harness is sound)', () => {
    const receiver = new ReceiverUnderTest();
    for (const name of IPV4_FIXTURES) {
      checkDecoders(fixtureBytes(name));
      receiver.receive(fixtureBytes(name));
    }
    // v2-unicast-pass and the priority-0 advert are for VI_UNICAST from its peer: delivered.
    expect(receiver.delivered).toBeGreaterThanOrEqual(2);
  });

  it('the IPv6 captures pass the checks too', () => {
    for (const name of IPV6_FIXTURES) checkDecoders(fixtureBytes(name));
  });

  it('mutated IPv6 captures (adverts and NAs): nothing throws, every rejection is typed', () => {
    fc.assert(
      fc.property(mutatedIpv6Fixture, (bytes) => checkDecoders(bytes)),
      { numRuns: PACKET_RUNS },
    );
  });

  it('random bytes: nothing throws, every rejection is typed', () => {
    fc.assert(
      fc.property(randomBytes, (bytes) => checkDecoders(bytes)),
      { numRuns: PACKET_RUNS },
    );
  });

  it('mutated keepalived captures: nothing throws, every rejection is typed', () => {
    fc.assert(
      fc.property(mutatedFixture, (bytes) => checkDecoders(bytes)),
      { numRuns: PACKET_RUNS },
    );
  });

  it('well-formed packets with random fields reach every step of the ladder', () => {
    const reasons = new Set<string>();
    let accepted = 0;
    const receiver = new ReceiverUnderTest();
    fc.assert(
      fc.property(craftedPacket, (bytes) => {
        checkDecoders(bytes);
        const delivered = receiver.delivered;
        receiver.receive(bytes);
        if (receiver.delivered > delivered) accepted++;
        for (const counters of receiver.counters.values()) {
          for (const reason of Object.keys(counters.drops)) reasons.add(reason);
        }
      }),
      { numRuns: PACKET_RUNS, seed: 9 },
    );
    // The generator is only useful if it gets past the checksums to the later steps.
    expect(accepted).toBeGreaterThan(0);
    for (const reason of [
      DropReason.ipTtl,
      DropReason.type,
      DropReason.unknownVrid,
      DropReason.weAreOwner,
      DropReason.version,
      DropReason.authType,
      DropReason.authPassword,
      DropReason.advertInterval,
      DropReason.unicastSource,
      DropReason.addressMismatch,
    ]) {
      expect(reasons, reason).toContain(reason);
    }
  });

  it('the receiver accounts for every packet once and keeps its log bounded', () => {
    const receiver = new ReceiverUnderTest();
    let packets = 0;
    fc.assert(
      fc.property(anyPacket, (bytes) => {
        packets++;
        receiver.receive(bytes);
      }),
      { numRuns: PACKET_RUNS },
    );
    // 7 ms per packet: the whole run fits in a few 60 s windows of the drop log, and each window
    // allows at most 5 lines plus one summary per reason.
    const windows = Math.ceil((packets * 7) / 60_000) + 1;
    const reasons = Object.keys(DropReason).length;
    expect(receiver.logLines).toBeLessThanOrEqual(windows * reasons * 6 + 1);
  });
});

describe('configuration reader under fuzzing', () => {
  it('every seed from the corpus and examples passes the checks unmutated', () => {
    const seeds = configSeeds();
    expect(seeds.length).toBeGreaterThanOrEqual(10);
    for (const seed of seeds) checkConfig(seed);
  });

  it('mutated and random configurations: no throw, every diagnostic coded and located, work bounded', () => {
    fc.assert(
      fc.property(anyConfig(CI_SCALE), (input) => {
        checkConfig(input);
      }),
      { numRuns: CONFIG_RUNS },
    );
  });
});

describe('expansion limits found by fuzzing', () => {
  const main = '/etc/keepalived/keepalived.conf';
  const run = (text: string, otherFiles: Record<string, string> = {}): ReturnType<typeof parseConfigText> => {
    const input: ConfigCase = { entry: main, files: { ...otherFiles, [main]: text } };
    return checkConfig(input);
  };
  const messages = (result: ReturnType<typeof parseConfigText>): string[] =>
    result.diagnostics.map((d) => `${d.line}: ${d.message}`);

  it('parameters that double at each level stop at the length limit with file:line', () => {
    const lines = ['$P0=x'];
    for (let i = 1; i <= 40; i++) lines.push(`$P${i}=$P${i - 1} $P${i - 1}`);
    lines.push('vrrp_instance BOMB { $P40 }');
    const result = run(lines.join('\n'));
    expect(result.ok).toBe(false);
    expect(result.diagnostics[0]).toMatchObject({
      code: 'VRRPD_E_CONFIG_SYNTAX',
      line: 42,
      message: expect.stringContaining(`expands to more than ${MAX_EXPANDED_LENGTH} characters`),
    });
  });

  it('a line of stray braces included many times is one warning, not one per brace and copy', () => {
    // Found by the fuzzer: 2^7 copies of a line with ~1,900 stray '{' gave 238,016 warnings.
    const files: Record<string, string> = {
      '/etc/keepalived/braces.conf': `virtual_ipaddress ${'{ '.repeat(2000)}\n`,
    };
    for (let i = 0; i < 7; i++) {
      const next = i === 6 ? 'braces' : `d${i + 1}`;
      files[`/etc/keepalived/d${i}.conf`] =
        `include /etc/keepalived/${next}.conf\ninclude /etc/keepalived/${next}.conf\n`;
    }
    const result = run('include /etc/keepalived/d0.conf', files);
    const stray = result.diagnostics.filter((d) => d.message.startsWith("'{' here opens no block"));
    expect(stray).toHaveLength(1);
    expect(stray[0]).toMatchObject({ file: '/etc/keepalived/braces.conf', line: 1 });
  });

  it('brace patterns with 2^40 alternatives are refused before expanding', () => {
    const result = run(`include /etc/keepalived/${'{a,b}'.repeat(40)}.conf`);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'VRRPD_E_CONFIG_INCLUDE',
        line: 1,
        message: expect.stringContaining(`more than ${MAX_BRACE_ALTERNATIVES} alternatives`),
      }),
    ]);
  });

  it('include diamonds 30 levels deep (2^30 reads) stop at the file budget', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) {
      files[`/etc/keepalived/d${i}.conf`] =
        i + 1 < 30 ? `include d${i + 1}.conf\ninclude d${i + 1}.conf\n` : 'vrrp_instance X {\n}\n';
    }
    const result = run('include d0.conf', files);
    expect(result.filesRead.length).toBeLessThanOrEqual(MAX_FILES_READ + 1);
    expect(
      result.diagnostics.filter((d) => d.code === 'VRRPD_E_CONFIG_INCLUDE').map((d) => d.message),
    ).toEqual([`more than ${MAX_FILES_READ} files included`]);
  });

  it('nested ~SEQ blocks stop at the line budget', () => {
    const result = run('~SEQ(A, 1, 100000) ~SEQ(B, 1, 100000) ~SEQ(C, 1, 100000) vrrp_garp_interval $A');
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'VRRPD_E_CONFIG_SYNTAX',
        line: 1,
        message: expect.stringContaining(`expands to more than ${MAX_TOTAL_LINES} lines`),
      }),
    );
  });

  it('a lone carriage return inside a line is content, not a crash', () => {
    const result = run('global_defs {\n  s\r\u0000\rhutdown_script /bin/true\n}\n@main vrrp\rinstance\n');
    // Unknown keywords, skipped as keepalived skips them: a warning at each line, nothing else.
    expect(result.ok).toBe(true);
    expect(result.diagnostics.length).toBeGreaterThan(0);
    expect(result.diagnostics.every((d) => d.code === 'VRRPD_W_CONFIG_KEYWORD')).toBe(true);
    expect(result.diagnostics.every((d) => d.line >= 1 && d.line <= 4)).toBe(true);
  });

  it('thousands of nested blocks are reported, not a stack overflow', () => {
    // Read by keyword, as keepalived reads it, a `{` after a keyword that takes no block there opens
    // nothing: the depth stays one, and each line is one report.
    const result = run('vrrp_instance X {\n'.repeat(20_000));
    expect(messages(result)).toContain(
      "2: 'vrrp_instance' belongs in the top level, not in vrrp_instance X: skipped, as keepalived skips it",
    );
    expect(result.diagnostics.length).toBeLessThanOrEqual(2 * 20_000 + 2);
    // Read by braces alone, the nesting limit stops the recursion.
    const sink = new DiagnosticSink();
    buildBlockTree(
      Array.from({ length: 20_000 }, (_, i) => ({ text: 'x {', source: { file: 'f', line: i + 1 } })),
      sink,
    );
    expect(sink.diagnostics.map((d) => `${d.line}: ${d.message}`)).toContain(
      `${MAX_BLOCK_DEPTH + 1}: blocks nest deeper than ${MAX_BLOCK_DEPTH} levels: this block is ignored`,
    );
  });
});
