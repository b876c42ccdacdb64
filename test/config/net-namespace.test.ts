// net_namespace as keepalived 2.2.7 reads it (checked with `keepalived -t`): a top-level keyword
// (inside global_defs it is an unknown keyword, reported, and the daemon runs where started), the
// first name counts, a missing name is reported and skipped; `-t` on the host also checks that the
// namespace exists.
import { describe, expect, it } from 'vitest';
import { configTest, KEEPALIVED_EXIT } from '../../src/cli/config-commands.js';
import { memoryFileSource } from '../../src/config/language/file-source.js';
import { parseConfigText } from '../../src/config/parse-config.js';
import { modelToConfigText } from '../../src/config/render/serialize.js';
import { isNamespaceName } from '../../src/config/keywords/net-namespace.js';

const instance =
  'vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 9\n  virtual_ipaddress {\n    192.0.2.9/24\n  }\n}\n';

function check(text: string, options: { namespaces?: string[]; strict?: boolean } = {}) {
  return configTest({
    file: '/k.conf',
    configId: 'a',
    files: memoryFileSource({ '/k.conf': text }),
    ...(options.namespaces ? { namespaces: new Set(options.namespaces) } : {}),
    ...(options.strict ? { strict: true } : {}),
  });
}

describe('net_namespace', () => {
  it('at the top level names the namespace the daemon runs in, with where it was written', () => {
    const result = parseConfigText(`net_namespace blue\n${instance}`, { file: '/k.conf' });
    expect(result.diagnostics).toEqual([]);
    expect(result.config.globals.netNamespace).toEqual({
      name: 'blue',
      source: { file: '/k.conf', line: 1 },
    });
    expect(check(`net_namespace blue\n${instance}`).exitCode).toBe(KEEPALIVED_EXIT.OK);
  });

  it('keeps the first name and reports a later one, as keepalived ("Duplicate net_namespace definition")', () => {
    const outcome = check(`net_namespace blue\nnet_namespace red\n${instance}`);
    expect(outcome.result.config.globals.netNamespace?.name).toBe('blue');
    expect(outcome.lines[0]).toContain("/k.conf:2: warning: net_namespace 'red' is ignored");
    expect(outcome.exitCode).toBe(KEEPALIVED_EXIT.CONFIG_TEST);
  });

  it('reports a missing name and runs on ("net_namespace name missing - ignoring"); a later name still counts', () => {
    const outcome = check(`net_namespace\nnet_namespace green\n${instance}`);
    expect(outcome.result.config.globals.netNamespace?.name).toBe('green');
    expect(outcome.lines[0]).toMatch(
      /^\/k\.conf:1: warning: 'net_namespace' needs a namespace name.*VRRPD_W_CONFIG_VALUE/,
    );
    expect(outcome.exitCode).toBe(KEEPALIVED_EXIT.CONFIG_TEST);
    expect(check(`net_namespace\n${instance}`, { strict: true }).exitCode).toBe(KEEPALIVED_EXIT.CONFIG);
  });

  it('inside global_defs is ignored, reported as keepalived reports it (unknown keyword): the daemon runs where started', () => {
    const outcome = check(`global_defs {\n  net_namespace blue\n}\n${instance}`);
    expect(outcome.result.config.globals.netNamespace).toBeNull();
    expect(outcome.lines[0]).toContain("/k.conf:2: warning: 'net_namespace' is ignored");
    expect(outcome.lines[1]).toBe('  hint: move the line out of global_defs to run in that namespace');
    expect(outcome.exitCode).toBe(KEEPALIVED_EXIT.CONFIG_TEST);
  });

  it('refuses a name that cannot be a file of /run/netns', () => {
    for (const name of ['../x', 'a/b', '.', '..']) {
      const outcome = check(`net_namespace ${name}\n${instance}`);
      expect(outcome.exitCode, name).toBe(KEEPALIVED_EXIT.CONFIG);
      expect(outcome.lines[0]).toContain('is not a network namespace name');
    }
    expect(isNamespaceName('vrrp-lan_1')).toBe(true);
  });

  it('-t on the host: a namespace that does not exist is an error at its line (the daemon would not start)', () => {
    const absent = check(`net_namespace blue\n${instance}`, { namespaces: ['red'] });
    expect(absent.exitCode).toBe(KEEPALIVED_EXIT.CONFIG);
    expect(absent.lines[0]).toBe(
      "/k.conf:1: error: network namespace 'blue' (net_namespace) does not exist on this host (no /run/netns/blue): vrrpd does not start without it, as keepalived does not [VRRPD_E_CONFIG_NETNS]",
    );
    expect(check(`net_namespace blue\n${instance}`, { namespaces: ['blue'] }).exitCode).toBe(
      KEEPALIVED_EXIT.OK,
    );
    // No namespace named: nothing to check.
    expect(check(instance, { namespaces: [] }).exitCode).toBe(KEEPALIVED_EXIT.OK);
  });

  it('survives the round trip through the serializer', () => {
    const first = parseConfigText(`net_namespace blue\n${instance}`);
    const again = parseConfigText(modelToConfigText(first.config));
    expect(again.config.globals.netNamespace?.name).toBe('blue');
  });
});
