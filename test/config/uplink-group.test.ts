// The `uplink_group` block in keepalived.conf: read into the model, its references checked when
// the whole file is read, written back by the serializer, and — in `--config-test` and at load
// time — its netgwm.yml read too, with file:line and key path on every problem and the
// cross-group conflicts reported.

import { describe, expect, it } from 'vitest';
import { configTest, dumpConfig, KEEPALIVED_EXIT, netgwmConfigTest } from '../../src/cli/config-commands.js';
import { formatDiagnostic } from '../../src/config/report/diagnostics.js';
import { memoryFileSource } from '../../src/config/language/file-source.js';
import type { VrrpdConfig } from '../../src/config/model/types.js';
import { parseConfigText } from '../../src/config/parse-config.js';
import { modelToConfigText } from '../../src/config/render/serialize.js';
import { loadUplinkGroupConfigs } from '../../src/daemon/uplinks/config-files.js';

const CONF = '/etc/vrrpd/vrrpd.conf';

const INSTANCES = `vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 1
  virtual_ipaddress {
    192.0.2.254/24
  }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 2
  virtual_ipaddress {
    192.0.2.253/24
  }
}
vrrp_sync_group G1 {
  group {
    VI_1
    VI_2
  }
}
`;

const YML = `gateways:
  operator1: {ip: 198.51.100.1, dev: eth1, priority: 1}
  operator2: {ip: 198.51.100.17, dev: eth2, priority: 2}
min_uptime: 60
check_sites:
  - 203.0.113.10
`;

function messages(result: { diagnostics: Parameters<typeof formatDiagnostic>[0][] }): string[] {
  return result.diagnostics.map((d) => formatDiagnostic(d)[0] as string);
}

function withoutSources(config: VrrpdConfig): unknown {
  return JSON.parse(JSON.stringify(config, (key, value: unknown) => (key === 'source' ? undefined : value)));
}

describe('uplink_group in keepalived.conf', () => {
  it('reads the block into config.uplinkGroups with every default', () => {
    const result = parseConfigText(
      `${INSTANCES}uplink_group ISP {\n  config /etc/netgwm/isp.yml\n  follow_instance VI_1\n  on_leave_master fallback via 192.0.2.2 dev eth0\n}\nuplink_group LAB {\n}\n`,
      { file: CONF },
    );
    expect(messages(result)).toEqual([]);
    expect(withoutSources(result.config)).toMatchObject({
      uplinkGroups: [
        {
          name: 'ISP',
          configPath: '/etc/netgwm/isp.yml',
          follow: { kind: 'instance', name: 'VI_1' },
          onLeaveMaster: { kind: 'fallback', via: '192.0.2.2', dev: 'eth0' },
        },
        // No follow_*: standalone; no config: NetGWM's own path; leave the route by default.
        { name: 'LAB', configPath: '/etc/netgwm/netgwm.yml', follow: null, onLeaveMaster: { kind: 'leave' } },
      ],
    });
    expect(result.config.uplinkGroups[0]?.source).toEqual({ file: CONF, line: 21 });
  });

  it('reports names that refer to nothing, duplicates and bad values at their line', () => {
    const result = parseConfigText(
      `${INSTANCES}uplink_group ISP {
  config netgwm.yml
  follow_instance VI_3
}
uplink_group ISP {
  follow_group G2
  on_leave_master fallback via 2001:db8::1
}
uplink_group TWO {
  follow_instance VI_1
  follow_group G1
  on_leave_master sideways
}
uplink_group {
}
`,
      { file: CONF },
    );
    expect(result.ok).toBe(false);
    expect(messages(result)).toEqual([
      `${CONF}:22: error: config path 'netgwm.yml' must be absolute [VRRPD_E_CONFIG_VALUE]`,
      `${CONF}:27: error: on_leave_master via 2001:db8::1 is IPv6 but uplink_group ISP is IPv4 [VRRPD_E_CONFIG_CONFLICT]`,
      `${CONF}:31: error: uplink_group TWO follows more than one instance or group [VRRPD_E_CONFIG_CONFLICT]`,
      `${CONF}:32: error: on_leave_master expects 'leave' or 'fallback via <IP> [dev <DEV>]', got 'sideways' [VRRPD_E_CONFIG_VALUE]`,
      `${CONF}:34: error: 'uplink_group' takes 1 argument, got 0 [VRRPD_E_CONFIG_VALUE]`,
    ]);
    // A block with errors is left out whole; the references of the others are checked once the
    // whole file is read, and a second block of the same name is reported.
    const withDuplicate = parseConfigText(
      `${INSTANCES}uplink_group ISP {\n  follow_group G1\n}\nuplink_group ISP {\n  follow_group G2\n}\nuplink_group LAB {\n  follow_instance VI_3\n}\n`,
      { file: CONF },
    );
    expect(messages(withDuplicate)).toEqual([
      `${CONF}:24: error: uplink_group ISP is defined twice (first at ${CONF}:21) [VRRPD_E_CONFIG_CONFLICT]`,
      `${CONF}:25: error: uplink_group ISP follows vrrp_sync_group G2, which does not exist [VRRPD_E_CONFIG_REFERENCE]`,
      `${CONF}:28: error: uplink_group LAB follows vrrp_instance VI_3, which does not exist [VRRPD_E_CONFIG_REFERENCE]`,
    ]);
    expect(withDuplicate.config.uplinkGroups.map((g) => g.follow?.name)).toEqual(['G1', 'VI_3']);
  });

  it('says where the keywords of the block belong when they are misplaced', () => {
    const result = parseConfigText(`${INSTANCES}follow_instance VI_1\n`, { file: CONF });
    expect(messages(result)).toEqual([
      `${CONF}:21: warning: 'follow_instance' belongs in uplink_group, not in the top level: skipped, as keepalived skips it [VRRPD_W_CONFIG_KEYWORD]`,
    ]);
  });

  it('is written back by the serializer and parses to the same model', () => {
    const text = `${INSTANCES}uplink_group "ISP one" {
  config "/etc/netgwm/with space.yml"
  follow_group G1
  on_leave_master fallback dev eth0
}
uplink_group TWO {
  config /etc/netgwm/two.yml
  on_leave_master fallback via 192.0.2.2
}
uplink_group THREE {
  follow_instance VI_2
}
`;
    const first = parseConfigText(text, { file: CONF });
    expect(messages(first)).toEqual([]);
    const again = parseConfigText(modelToConfigText(first.config), { file: '/tmp/round-trip.conf' });
    expect(messages(again)).toEqual([]);
    expect(withoutSources(again.config)).toEqual(withoutSources(first.config));
    expect(again.config.uplinkGroups.map((g) => g.name)).toEqual(['ISP one', 'TWO', 'THREE']);
  });
});

describe('the netgwm.yml of each uplink_group', () => {
  const conf = `${INSTANCES}uplink_group ISP {\n  config /etc/netgwm/isp.yml\n  follow_instance VI_1\n}\n`;

  it('is read by --config-test, whose summary counts its problems with file:line and key path', () => {
    const broken = YML.replace('priority: 2', 'priority: two');
    const outcome = configTest({
      file: CONF,
      configId: 'r1',
      files: memoryFileSource({ [CONF]: conf, '/etc/netgwm/isp.yml': broken }),
    });
    expect(outcome.exitCode).toBe(KEEPALIVED_EXIT.CONFIG);
    expect(outcome.lines[0]).toMatch(
      /^\/etc\/netgwm\/isp\.yml:3: error: .*\(key path: gateways\.operator2\.priority\) \[VRRPD_E_CONFIG_VALUE\]$/,
    );
    expect(outcome.lines.at(-1)).toBe(
      `${CONF}: 1 error in uplink configuration; vrrpd would run the VRRP part, with uplink_group ISP in an error state`,
    );
    expect(outcome.result.vrrpOk).toBe(true);
    expect(outcome.result.failedUplinks.map((g) => g.decl.name)).toEqual(['ISP']);
    expect(outcome.result.filesRead).toEqual([CONF, '/etc/netgwm/isp.yml']);

    const good = configTest({
      file: CONF,
      configId: 'r1',
      files: memoryFileSource({ [CONF]: conf, '/etc/netgwm/isp.yml': YML }),
    });
    expect(good).toMatchObject({ exitCode: KEEPALIVED_EXIT.OK, lines: [`${CONF}: configuration OK`] });
    expect(good.result.uplinks.map((u) => [u.decl.name, u.config.gateways.map((g) => g.id)])).toEqual([
      ['ISP', ['operator1', 'operator2']],
    ]);
    expect(good.result.uplinks[0]?.config.minUptimeSeconds).toBe(60);
  });

  it('a missing yml is an error at the uplink_group that names it', () => {
    const outcome = configTest({ file: CONF, configId: 'r1', files: memoryFileSource({ [CONF]: conf }) });
    expect(outcome.exitCode).toBe(KEEPALIVED_EXIT.CONFIG);
    expect(outcome.lines.slice(0, 2)).toEqual([
      `${CONF}:21: error: uplink_group ISP: cannot read /etc/netgwm/isp.yml: no such file [VRRPD_E_CONFIG_FILE]`,
      '  hint: the config keyword of an uplink_group names its netgwm.yml',
    ]);
  });

  it('reports two groups that would fight over the same table, state file, rules or marks', () => {
    const twoGroups = `${INSTANCES}uplink_group A {\n  config /a.yml\n  follow_instance VI_1\n}\nuplink_group B {\n  config /b.yml\n  follow_instance VI_2\n}\n`;
    const parsed = parseConfigText(twoGroups, { file: CONF });
    const clash = loadUplinkGroupConfigs(
      parsed.config.uplinkGroups,
      memoryFileSource({ '/a.yml': YML, '/b.yml': YML }),
    );
    expect(clash.ok).toBe(false);
    expect(clash.diagnostics.map((d) => formatDiagnostic(d)[0])).toEqual([
      `${CONF}:25: error: uplink_group B and A share route_table 254, state_file /var/lib/vrrpd/uplinks.json, mode_file /var/lib/netgwm/mode, status_dir /run/netgwm, probe tables, probe rule priorities, probe fwmarks [VRRPD_E_CONFIG_CONFLICT]`,
    ]);
    const apart = `${YML}vrrpd:\n  route_table: 100\n  state_file: /var/lib/vrrpd/b.json\n  mode_file: /var/lib/netgwm/b-mode\n  status_dir: /run/netgwm-b\n  probe_table_base: 3500\n  probe_rule_priority_base: 3500\n  probe_fwmark_base: 0x76730000\n`;
    const fine = loadUplinkGroupConfigs(
      parsed.config.uplinkGroups,
      memoryFileSource({ '/a.yml': YML, '/b.yml': apart }),
    );
    expect(fine).toMatchObject({ ok: true, diagnostics: [] });
    expect(fine.groups.map((g) => [g.decl.name, g.config.routeTable])).toEqual([
      ['A', 254],
      ['B', 100],
    ]);
  });

  it('is not needed to dump or round-trip keepalived.conf alone', () => {
    const dumped = dumpConfig({ file: CONF, configId: 'r1', files: memoryFileSource({ [CONF]: conf }) });
    // The dump still shows the model (and the missing yml as the reason it cannot run).
    expect((JSON.parse(dumped.json) as VrrpdConfig).uplinkGroups.map((g) => g.configPath)).toEqual([
      '/etc/netgwm/isp.yml',
    ]);
    expect(parseConfigText(conf, { file: CONF }).ok).toBe(true);
  });
});

describe('vrrpd --uplinks-only -c FILE --config-test', () => {
  it('checks a netgwm.yml alone, with keepalived exit statuses', () => {
    const ok = netgwmConfigTest({ file: '/n.yml', files: memoryFileSource({ '/n.yml': YML }) });
    expect(ok).toMatchObject({ exitCode: KEEPALIVED_EXIT.OK, lines: ['/n.yml: configuration OK'] });
    expect(ok.config?.gateways.map((g) => g.id)).toEqual(['operator1', 'operator2']);

    const bad = netgwmConfigTest({
      file: '/n.yml',
      files: memoryFileSource({ '/n.yml': `${YML}vrrpd:\n  count: 99\n` }),
    });
    expect(bad.exitCode).toBe(KEEPALIVED_EXIT.CONFIG_TEST);
    expect(bad.config).toBeNull();
    expect(bad.lines[0]).toMatch(/^\/n\.yml:8: error: 99 is out of range/);

    const missing = netgwmConfigTest({ file: '/absent.yml', files: memoryFileSource({}) });
    expect(missing.exitCode).toBe(KEEPALIVED_EXIT.CONFIG);
  });
});
