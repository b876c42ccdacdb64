// Round trip: parse → dump (JSON) → back to keepalived syntax (modelToConfigText) → parse again
// gives the same model, source locations aside. Going back through the text, not just through
// JSON, is what makes this a test of the parser: every field the dump shows must be readable from
// keepalived syntax and read back to the same value.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/daemon/config-files.js';
import type { VrrpdConfig } from '../../src/config/model/types.js';
import { parseConfigText } from '../../src/config/parse-config.js';
import { modelToConfigText, quoteWord } from '../../src/config/render/serialize.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const examples = fileURLToPath(new URL('../../examples/', import.meta.url));

function withoutSources(config: VrrpdConfig): unknown {
  return JSON.parse(JSON.stringify(config, (key, value: unknown) => (key === 'source' ? undefined : value)));
}

/** dump → JSON text → model → keepalived text → model. */
function roundTrip(config: VrrpdConfig): { text: string; again: ReturnType<typeof parseConfigText> } {
  const dumped = JSON.parse(JSON.stringify(config, null, 2)) as VrrpdConfig;
  const text = modelToConfigText(dumped);
  return { text, again: parseConfigText(text, { file: '/tmp/round-trip.conf' }) };
}

/** Corpus files that keepalived 2.2.7 and vrrpd both refuse, so there is no model to dump. */
const REFUSED = new Set(['42-unicast-no-interface.conf']);

function configFiles(): Array<{ file: string; configId: string }> {
  const corpus = join(here, 'corpus');
  const found = readdirSync(corpus)
    .filter((name) => name.endsWith('.conf') && !REFUSED.has(name))
    .map((name) => ({ file: join(corpus, name), configId: 'main' }));
  found.push({ file: join(corpus, '04-includes', 'keepalived.conf'), configId: 'main' });
  found.push({ file: join(corpus, '05-conditionals-params.conf'), configId: 'backup' });
  for (const dir of readdirSync(examples)) {
    const file = join(examples, dir, 'keepalived.conf');
    if (!statSync(join(examples, dir)).isDirectory() || dir === 'scripts') continue;
    found.push({ file, configId: 'router1' }, { file, configId: 'router2' });
  }
  return found;
}

describe('dump → re-parse gives the same model', () => {
  for (const { file, configId } of configFiles()) {
    it(`${file.slice(file.lastIndexOf('/', file.lastIndexOf('/') - 1) + 1)} (config id ${configId})`, () => {
      const first = loadConfig({ file, configId });
      expect(first.ok).toBe(true);
      const { text, again } = roundTrip(first.config);
      expect(
        again.diagnostics.filter((d) => d.severity === 'error'),
        text,
      ).toEqual([]);
      expect(withoutSources(again.config)).toEqual(withoutSources(first.config));
    });
  }
});

// Generated configurations: awkward names and commands (quotes, #, !, $, braces, backslashes, spaces)
// must survive quoting, and every optional field must survive being written out.
const awkwardText = fc.string({
  unit: fc.constantFrom(
    'a',
    'Z',
    '0',
    ' ',
    "'",
    '"',
    '#',
    '!',
    '$',
    '{',
    '}',
    '\\',
    '/',
    '-',
    '@',
    '~',
    '\t',
  ),
  minLength: 1,
  maxLength: 12,
});
const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,8}$/);
const octet = fc.integer({ min: 1, max: 254 });

const instanceText = fc
  .record({
    name,
    vrid: fc.integer({ min: 1, max: 255 }),
    priority: fc.option(fc.integer({ min: 1, max: 255 }), { nil: undefined }),
    state: fc.constantFrom('MASTER', 'BACKUP'),
    version: fc.constantFrom(2, 3),
    advertCs: fc.integer({ min: 1, max: 4095 }),
    vipHosts: fc.uniqueArray(octet, { minLength: 1, maxLength: 4 }),
    prefix: fc.integer({ min: 8, max: 32 }),
    label: fc.boolean(),
    password: fc.option(
      fc.stringMatching(/^[!-~]{1,8}$/).filter((p) => !p.includes('"') && !p.includes('\\')),
      {
        nil: undefined,
      },
    ),
    peers: fc.option(fc.uniqueArray(octet, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    notify: fc.option(awkwardText, { nil: undefined }),
    notifyUser: fc.option(name, { nil: undefined }),
    nopreempt: fc.boolean(),
    preemptDelayMs: fc.integer({ min: 0, max: 1_000_000 }),
    route: fc.option(
      fc.record({ host: octet, table: fc.integer({ min: 1, max: 252 }), metric: fc.nat(1000) }),
      {
        nil: undefined,
      },
    ),
    rule: fc.option(
      fc.record({ table: fc.integer({ min: 1, max: 252 }), priority: fc.nat(30000), mark: fc.nat(255) }),
      {
        nil: undefined,
      },
    ),
    accept: fc.constantFrom('accept', 'no_accept', ''),
    garpRepeat: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
  })
  .map((i) => {
    const seconds = i.version === 3 ? i.advertCs / 100 : Math.max(1, Math.round(i.advertCs / 100) % 256);
    const lines = [
      `vrrp_instance ${i.name} {`,
      `  state ${i.state}`,
      '  interface eth0',
      `  virtual_router_id ${i.vrid}`,
      i.priority !== undefined ? `  priority ${i.priority}` : '',
      `  version ${i.version}`,
      `  advert_int ${seconds}`,
      i.password !== undefined && i.version === 2
        ? `  authentication {\n    auth_type PASS\n    auth_pass ${quoteWord(i.password)}\n  }`
        : '',
      '  virtual_ipaddress {',
      ...i.vipHosts.map((h, n) => `    192.0.2.${h}/${i.prefix}${i.label && n === 0 ? ' label eth0:v' : ''}`),
      '  }',
      i.peers ? `  unicast_peer {\n${i.peers.map((p) => `    198.51.100.${p}`).join('\n')}\n  }` : '',
      i.notify !== undefined
        ? `  notify_master ${quoteWord(i.notify)}${i.notifyUser ? ` ${i.notifyUser}` : ''}`
        : '',
      i.nopreempt ? '  nopreempt' : '',
      `  preempt_delay ${i.preemptDelayMs / 1000}`,
      i.route
        ? `  virtual_routes {\n    203.0.113.${i.route.host}/32 via 192.0.2.1 dev eth0 table ${i.route.table} metric ${i.route.metric}\n  }`
        : '',
      i.rule
        ? `  virtual_rules {\n    from 192.0.2.0/24 table ${i.rule.table} priority ${i.rule.priority} fwmark ${i.rule.mark}\n  }`
        : '',
      i.accept ? `  ${i.accept}` : '',
      i.garpRepeat !== undefined ? `  garp_master_repeat ${i.garpRepeat}` : '',
      '}',
    ];
    return { text: lines.filter((l) => l !== '').join('\n'), notify: i.notify };
  });

describe('generated configurations survive the round trip', () => {
  it('keeps every field, and quoting keeps awkward commands intact', () => {
    fc.assert(
      fc.property(instanceText, ({ text, notify }) => {
        const splitOk = notify === undefined || !/^\s*$/.test(notify);
        const first = parseConfigText(text);
        // Only an unsplittable command (unbalanced quote after unquoting, or blank) may be refused
        // (skipped with a warning, as keepalived skips it, or an error).
        const fatal = first.diagnostics.filter(
          (d) => d.severity === 'error' || d.code === 'VRRPD_W_CONFIG_VALUE',
        );
        if (fatal.length > 0) {
          expect(
            fatal.every((d) => d.message.startsWith('notify_master:')),
            text,
          ).toBe(true);
          return;
        }
        expect(splitOk).toBe(true);
        if (notify !== undefined) expect(first.config.instances[0]?.notify.master?.command).toBe(notify);
        const { text: written, again } = roundTrip(first.config);
        expect(
          again.diagnostics.filter((d) => d.severity === 'error'),
          written,
        ).toEqual([]);
        expect(withoutSources(again.config)).toEqual(withoutSources(first.config));
      }),
      { numRuns: 300 },
    );
  });
});
