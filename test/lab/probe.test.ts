// Parsing of `ping -n -D` output into a probe report (pure: fixed text, fixed times).

import { describe, expect, it } from 'vitest';
import { parsePingOutput, transmittedCount } from './probe.js';

const line = (seconds: string, seq: number, extra = '') =>
  `[${seconds}] 64 bytes from 192.0.2.254: icmp_seq=${seq} ttl=64 time=0.051 ms${extra}`;

describe('parsePingOutput', () => {
  const start = 1_700_000_000_000;

  it('finds the longest silence and the longest run of lost requests', () => {
    const output = [
      'PING 192.0.2.254 (192.0.2.254) 56(84) bytes of data.',
      line('1700000000.100000', 1),
      line('1700000000.200000', 2),
      // seq 3..6 lost: the VIP moved
      line('1700000000.700000', 7),
      line('1700000000.800000', 8),
      '',
      '--- 192.0.2.254 ping statistics ---',
      '8 packets transmitted, 4 received, 50% packet loss, time 700ms',
    ].join('\n');
    const report = parsePingOutput(output, '192.0.2.254', 8, start, start + 800);
    expect(report).toMatchObject({ sent: 8, received: 4, lost: 4, longestLossRun: 4, longestGapMs: 500 });
    expect(report.replies.map((r) => r.seq)).toEqual([1, 2, 7, 8]);
    expect(report.replies[0]!.atMs).toBe(start + 100);
  });

  it('reads IPv6 replies (the address holds colons)', () => {
    const output = [
      '[1700000000.100000] 64 bytes from 2001:db8::254: icmp_seq=1 ttl=64 time=0.051 ms',
      '[1700000000.200000] 64 bytes from 2001:db8::254: icmp_seq=2 ttl=64 time=0.049 ms',
    ].join('\n');
    const report = parsePingOutput(output, '2001:db8::254', 2, start, start + 200);
    expect(report).toMatchObject({ received: 2, lost: 0 });
  });

  it('ignores duplicate replies and counts silence up to the last request', () => {
    const output = [
      line('1700000000.100000', 1),
      line('1700000000.150000', 1, ' (DUP!)'),
      line('1700000000.200000', 2),
    ].join('\n');
    const report = parsePingOutput(output, '192.0.2.254', 5, start, start + 900);
    expect(report).toMatchObject({ received: 2, lost: 3, longestLossRun: 3, longestGapMs: 700 });
  });

  it('reports the whole probe as a gap when nothing answered', () => {
    const report = parsePingOutput('', '192.0.2.254', 10, start, start + 450);
    expect(report).toMatchObject({ received: 0, lost: 10, longestLossRun: 10, longestGapMs: 450 });
  });

  it('reads how many requests ping really sent from its summary', () => {
    expect(transmittedCount('12 packets transmitted, 3 received, 75% packet loss, time 1ms', 50)).toBe(12);
    expect(transmittedCount('interrupted without summary', 50)).toBe(50);
  });
});
