// keepalived's down_timer_adverts / vrrp_down_timer_adverts (issue 13): the adverts a BACKUP misses
// before it declares the master down. Range 1..100 (vrrp_parser.c, global_parser.c), default 3,
// reset to 3 with a report in strict mode (vrrp.c, vrrp_complete_instance).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParseConfigResult } from '../../src/config/parse-config.js';
import { parseConfigText } from '../../src/config/parse-config.js';
import { modelToConfigText } from '../../src/config/render/serialize.js';
import { planDaemon } from '../../src/daemon/plan.js';
import { masterDownInterval } from '../../src/vrrp/index.js';

const FILE = '/etc/keepalived/keepalived.conf';

function parse(text: string, options: { strict?: boolean } = {}): ParseConfigResult {
  return parseConfigText(text, { file: FILE, ...options });
}

const config = (globals: string[], lines: string[]): string =>
  [
    'global_defs {',
    ...globals,
    '}',
    'vrrp_instance VI_1 {',
    '  interface eth0',
    '  virtual_router_id 51',
    ...lines,
    '  virtual_ipaddress {',
    '    192.0.2.10/24',
    '  }',
    '}',
  ].join('\n');

function counts(result: ParseConfigResult): Record<string, number> {
  return Object.fromEntries(result.config.instances.map((i) => [i.name, i.downTimerAdverts]));
}

function codes(result: ParseConfigResult): string[] {
  return result.diagnostics.map((d) => `${d.line} ${d.code}`);
}

describe('down_timer_adverts', () => {
  it('defaults to 3; the instance keyword beats the global one', () => {
    expect(counts(parse(config([], [])))).toEqual({ VI_1: 3 });
    expect(counts(parse(config(['  vrrp_down_timer_adverts 7'], [])))).toEqual({ VI_1: 7 });
    const both = parse(config(['  vrrp_down_timer_adverts 7'], ['  down_timer_adverts 1']));
    expect(both.ok).toBe(true);
    expect(both.diagnostics).toEqual([]);
    expect(counts(both)).toEqual({ VI_1: 1 });
  });

  it('reaches the core and the status view through the plan', () => {
    const result = parse(config([], ['  down_timer_adverts 100']));
    const plan = planDaemon(result.config);
    expect(plan.instances[0]?.core.downTimerAdverts).toBe(100);
    // 100 × 1 s + Skew_Time of priority 100 (609 ms)
    expect(masterDownInterval(2, 100, 100, 100)).toBe(100_609);
  });

  it('out of 1..100 or not a number: keepalived reports it and keeps the default', () => {
    for (const bad of ['0', '101', '-1', 'x']) {
      const result = parse(config([], [`  down_timer_adverts ${bad}`]));
      expect(result.ok, bad).toBe(true);
      expect(codes(result), bad).toEqual(['6 VRRPD_W_CONFIG_VALUE']);
      expect(counts(result), bad).toEqual({ VI_1: 3 });
      expect(parse(config([], [`  down_timer_adverts ${bad}`]), { strict: true }).ok, bad).toBe(false);
    }
    const global = parse(config(['  vrrp_down_timer_adverts 200'], []));
    expect(codes(global)).toEqual(['2 VRRPD_W_CONFIG_VALUE']);
    expect(counts(global)).toEqual({ VI_1: 3 });
  });

  it('a number with trailing text: the running keepalived uses its leading number (its -t ignores it)', () => {
    const result = parse(config([], ['  down_timer_adverts 5x']));
    expect(counts(result)).toEqual({ VI_1: 5 });
    expect(codes(result)).toEqual(['6 VRRPD_W_CONFIG_VALUE']);
  });

  it('strict mode puts back 3 and says so, for the instance’s own value and for the global one', () => {
    const own = parse(config([], ['  strict_mode', '  down_timer_adverts 6']));
    expect(counts(own)).toEqual({ VI_1: 3 });
    expect(codes(own)).toEqual(['7 VRRPD_W_CONFIG_ADJUSTED']);
    expect(own.diagnostics[0]?.message).toContain('down_timer_adverts 6 is not allowed in strict mode');
    const inherited = parse(config(['  vrrp_strict', '  vrrp_down_timer_adverts 6'], []));
    expect(counts(inherited)).toEqual({ VI_1: 3 });
    expect(codes(inherited)).toEqual(['5 VRRPD_W_CONFIG_ADJUSTED']);
    // strict mode with the default says nothing
    expect(parse(config(['  vrrp_strict'], [])).diagnostics).toEqual([]);
  });

  it('the dump writes both keywords back, and reads back to the same model', () => {
    const result = parse(config(['  vrrp_down_timer_adverts 4'], ['  down_timer_adverts 9']));
    const text = modelToConfigText(result.config);
    expect(text).toMatch(/^\s*vrrp_down_timer_adverts 4$/m);
    expect(text).toMatch(/^\s*down_timer_adverts 9$/m);
    expect(counts(parse(text))).toEqual({ VI_1: 9 });
  });

  it('reads corpus 34 as keepalived does', () => {
    const text = readFileSync(new URL('corpus/34-down-timer-adverts.conf', import.meta.url), 'utf8');
    const result = parse(text);
    expect(result.ok).toBe(true);
    expect(counts(result)).toEqual({ VI_WEB: 4, VI_DB: 10, VI_STRICT: 3 });
    expect(codes(result)).toEqual(['40 VRRPD_W_CONFIG_ADJUSTED']);
  });
});
