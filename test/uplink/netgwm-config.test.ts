// netgwm.yml accepted unchanged (the seed article's file and NetGWM's own sample), vrrpd's
// extensions with their defaults, every error with file:line and key path, and the
// keepalived-style `uplink_group` block.

import { describe, expect, it } from 'vitest';
import { buildBlockTree } from '../../src/config/language/block-tree.js';
import { DiagnosticSink, formatDiagnostic } from '../../src/config/report/diagnostics.js';
import { memoryFileSource } from '../../src/config/language/file-source.js';
import {
  checkUplinkGroupConflicts,
  checkUplinkGroupReferences,
  parseUplinkGroupBlock,
} from '../../src/config/netgwm/uplink-group.js';
import { loadNetgwmConfig } from '../../src/daemon/uplinks/config-files.js';
import { NETGWM_EXTENSIONS } from '../../src/config/netgwm/extensions.js';
import { parseNetgwmConfig } from '../../src/config/netgwm/parse.js';
import type { NetgwmConfig } from '../../src/config/netgwm/types.js';
import { preprocess } from '../../src/config/language/preprocess.js';
import { netgwmExtensionsMarkdown } from '../../src/config/netgwm/docs.js';
import { policyConfigFrom } from '../../src/daemon/uplinks/policy-config.js';

const FILE = '/etc/netgwm/netgwm.yml';

function parse(text: string): { config: NetgwmConfig | null; messages: string[] } {
  const sink = new DiagnosticSink();
  const config = parseNetgwmConfig(text, FILE, sink);
  return { config, messages: sink.diagnostics.flatMap((d) => formatDiagnostic(d)) };
}

// The configuration from the seed article, comments and all (comments translated).
const SEED = `# Gateways with their priorities: 1 is the main operator.
gateways:
  operator1: {ip: 88.88.88.88, priority: 1}
  operator2: {ip: 99.99.99.99, priority: 2}
  operator3: {ip: 100.100.100.100, priority: 3}
# Minimum time a gateway must work before it is used again
min_uptime: 900
# Sites pinged through each gateway
check_sites:
  - 8.8.8.8 # Google public DNS
  - 4.2.2.2 # Verizon public DNS
# Check all gateways every time?
check_all_gateways: false
`;

// NetGWM's samples/netgwm.yml: a dev-only gateway and a host name among the check sites.
const NETGWM_SAMPLE = `gateways: # IPs or devices for gateways with corresponding
          # priorities
  thebestone: {ip: 42.42.42.42,  priority: 1}
  notsogood:  {ip: 42.84.168.42, priority: 2}
  gprsbackup: {dev: ppp333,      priority: 3}
min_uptime: 900 # 15 min
check_sites:
  - 8.8.4.4 # Google public DNS
  - 4.2.2.2 # Verizon public DNS
  - something.in.the.wheel.com
check_all_gateways: false
`;

describe('netgwm.yml as NetGWM reads it', () => {
  it('accepts the seed article file unchanged, with the documented defaults for our extensions', () => {
    const { config, messages } = parse(SEED);
    expect(messages).toEqual([]);
    expect(config).toEqual({
      file: FILE,
      gateways: [
        { id: 'operator1', ip: '88.88.88.88', dev: null, priority: 1 },
        { id: 'operator2', ip: '99.99.99.99', dev: null, priority: 2 },
        { id: 'operator3', ip: '100.100.100.100', dev: null, priority: 3 },
      ],
      minUptimeSeconds: 900,
      checkSites: ['8.8.8.8', '4.2.2.2'],
      checkAllGateways: false,
      mode: null,
      intervalMs: 1000,
      failureIntervalMs: null,
      recoveryIntervalMs: null,
      family: 'ipv4',
      gatewaySettings: {},
      timeoutMs: 1000,
      count: 2,
      quorum: 1,
      rise: 2,
      fall: 3,
      maxLoss: null,
      lossRecover: null,
      maxRttMs: null,
      rttRecoverMs: null,
      maxJitterMs: null,
      jitterRecoverMs: null,
      lossWindowRounds: 10,
      resolveIntervalMs: 60_000,
      routeTable: 254,
      probeTableBase: 3400,
      probeRulePriorityBase: 3400,
      probeFwmarkBase: 0x76720000,
      conntrackFlush: 'none',
      stickyFlows: false,
      postReplaceDir: '/etc/netgwm/post-replace.d',
      eventDir: '/etc/netgwm/event.d',
      hookTimeoutMs: 30000,
      logFile: '$LOGS_DIRECTORY/netgwm.log',
      stateFile: '/var/lib/vrrpd/uplinks.json',
      modeFile: '/var/lib/netgwm/mode',
      statusDir: '/run/netgwm',
    });
  });

  it("accepts NetGWM's own sample: dev-only gateway, host-name check site", () => {
    const { config, messages } = parse(NETGWM_SAMPLE);
    expect(messages).toEqual([]);
    expect(config?.gateways[2]).toEqual({ id: 'gprsbackup', ip: null, dev: 'ppp333', priority: 3 });
    expect(config?.checkSites).toContain('something.in.the.wheel.com');
  });

  it('reads YAML 1.1 as PyYAML does: yes is true, 15:00 is 900 seconds, empty ip is absent', () => {
    const { config, messages } = parse(`gateways:
  a: {ip: , dev: ppp0, priority: 1}
min_uptime: 15:00
check_sites: [203.0.113.10]
check_all_gateways: yes
mode: auto
`);
    expect(messages).toEqual([]);
    expect(config).toMatchObject({ minUptimeSeconds: 900, checkAllGateways: true, mode: null });
    expect(config?.gateways[0]).toEqual({ id: 'a', ip: null, dev: 'ppp0', priority: 1 });
  });

  it('pins the route with mode; a mode naming no gateway means auto, as in NetGWM, with a warning', () => {
    expect(parse(`${SEED}mode: operator2\n`).config?.mode).toBe('operator2');
    const { config, messages } = parse(`${SEED}mode: operator4\n`);
    expect(config?.mode).toBeNull();
    expect(messages[0]).toBe(
      `${FILE}:14: warning: mode 'operator4' names no gateway: automatic selection, as NetGWM does (key path: mode) [VRRPD_W_CONFIG_SUSPICIOUS]`,
    );
    expect(messages[1]).toMatch(/hint: did you mean 'operator\d'\?/);
  });

  it('maps to the pure policy configuration', () => {
    const { config } = parse(`${SEED}mode: operator2\n`);
    expect(policyConfigFrom(config as NetgwmConfig, 'fallback')).toMatchObject({
      minUptimeMs: 900_000,
      pinned: 'operator2',
      quorum: 1,
      onLeaveMaster: 'fallback',
      gateways: (config as NetgwmConfig).gateways,
    });
  });
});

describe('the vrrpd: section', () => {
  it('reads quality thresholds with recovery values, refusing a recovery above its failure value', () => {
    const ok = parse(
      `${SEED}vrrpd:\n  max_loss: 20\n  loss_recover: 5\n  max_rtt: 0.3\n  max_jitter: 0.05\n`,
    );
    expect(ok.messages).toEqual([]);
    expect(ok.config).toMatchObject({
      maxLoss: 0.2,
      lossRecover: 0.05,
      maxRttMs: 300,
      rttRecoverMs: null,
      maxJitterMs: 50,
    });
    const bad = parse(`${SEED}vrrpd:\n  max_rtt: 0.3\n  rtt_recover: 0.5\n  jitter_recover: 0.01\n`);
    expect(bad.config).toBeNull();
    expect(bad.messages.map((m) => m.replace(/^.*?: error: /, ''))).toEqual([
      'rtt_recover is above max_rtt: an alarm could never end (key path: vrrpd.rtt_recover) [VRRPD_E_CONFIG_VALUE]',
      'jitter_recover needs max_jitter (key path: vrrpd.jitter_recover) [VRRPD_E_CONFIG_MISSING]',
    ]);
  });

  it('reads every extension', () => {
    const { config, messages } = parse(`${SEED}vrrpd:
  interval: 0.2
  timeout: 0.15
  count: 1
  quorum: 2
  rise: 3
  fall: 4
  max_loss: 20
  max_rtt: 0.25
  loss_window: 5
  route_table: 100
  probe_table_base: 5000
  probe_rule_priority_base: 900
  probe_fwmark_base: 0x1000
  conntrack_flush: udp
  post_replace_dir: /srv/hooks
  hook_timeout: 5
  log_file: /var/log/netgwm.log
  state_file: /run/uplinks.json
`);
    expect(messages).toEqual([]);
    expect(config).toMatchObject({
      intervalMs: 200,
      timeoutMs: 150,
      count: 1,
      quorum: 2,
      rise: 3,
      fall: 4,
      maxLoss: 0.2,
      maxRttMs: 250,
      lossWindowRounds: 5,
      routeTable: 100,
      probeTableBase: 5000,
      probeRulePriorityBase: 900,
      probeFwmarkBase: 0x1000,
      conntrackFlush: 'udp',
      postReplaceDir: '/srv/hooks',
      hookTimeoutMs: 5000,
      logFile: '/var/log/netgwm.log',
      stateFile: '/run/uplinks.json',
    });
  });

  it('documents every extension with a default', () => {
    for (const spec of NETGWM_EXTENSIONS) {
      expect(spec.doc.length, spec.key).toBeGreaterThan(10);
      expect(spec.defaultText.length, spec.key).toBeGreaterThan(0);
    }
  });

  it('shortens the default timeout to a shorter interval, and disables hooks with null', () => {
    const { config } = parse(`${SEED}vrrpd:\n  interval: 0.2\n  post_replace_dir:\n`);
    expect(config).toMatchObject({ intervalMs: 200, timeoutMs: 200, postReplaceDir: null });
  });

  it('reports cross-key problems on the key to change', () => {
    const { messages } = parse(`${SEED}vrrpd:\n  interval: 1\n  timeout: 2\n  quorum: 3\n`);
    expect(messages).toEqual([
      `${FILE}:16: error: timeout (2 s) is longer than the shortest interval (1 s) (key path: vrrpd.timeout) [VRRPD_E_CONFIG_VALUE]`,
      '  hint: a probe round must end before the next one is due',
      `${FILE}:17: error: quorum 3 is more than the 2 check sites (key path: vrrpd.quorum) [VRRPD_E_CONFIG_VALUE]`,
    ]);
  });

  it('refuses probe tables that cover the route table', () => {
    const { messages } = parse(`${SEED}vrrpd:\n  probe_table_base: 252\n`);
    expect(messages[0]).toContain('(key path: vrrpd.probe_table_base) [VRRPD_E_CONFIG_CONFLICT]');
  });
});

describe('errors name the file, the line and the key path', () => {
  it('a wrong type', () => {
    const { config, messages } = parse(SEED.replace('priority: 2}', 'priority: high}'));
    expect(config).toBeNull();
    expect(messages).toEqual([
      `${FILE}:4: error: expected a number, got 'high' (key path: gateways.operator2.priority) [VRRPD_E_CONFIG_VALUE]`,
    ]);
  });

  it('collects every problem in one pass', () => {
    const { messages } = parse(`gateways:
  op1:
    ip: 198.51.100.300
    priority: 1
  op2: {priority: 2}
  op3: {ip: 198.51.100.3}
min_uptime: -5
check_sites:
  - 203.0.113.10
  - 42
  - bad_host!
check_all_gateways: maybe
vrrpd:
  intervall: 2
  fall: 0
  conntrack_flush: tcp
  log_file: relative.log
`);
    expect(messages.filter((m) => !m.startsWith('  hint'))).toEqual([
      `${FILE}:3: error: expected an IPv4 or IPv6 address, got '198.51.100.300' (key path: gateways.op1.ip) [VRRPD_E_CONFIG_VALUE]`,
      `${FILE}:5: error: gateway op2 needs an ip, a dev, or both (key path: gateways.op2) [VRRPD_E_CONFIG_MISSING]`,
      `${FILE}:6: error: gateway op3 has no priority (key path: gateways.op3.priority) [VRRPD_E_CONFIG_MISSING]`,
      `${FILE}:7: error: -5 is out of range (0-31536000 seconds) (key path: min_uptime) [VRRPD_E_CONFIG_VALUE]`,
      `${FILE}:10: error: expected an IP address or a host name, got 42 (key path: check_sites[1]) [VRRPD_E_CONFIG_VALUE]`,
      `${FILE}:11: error: 'bad_host!' is neither an IP address nor a valid host name (key path: check_sites[2]) [VRRPD_E_CONFIG_VALUE]`,
      `${FILE}:12: warning: check_all_gateways is not true or false: taken as false, as NetGWM does (key path: check_all_gateways) [VRRPD_W_CONFIG_SUSPICIOUS]`,
      `${FILE}:14: error: unknown key 'intervall' in the vrrpd section (key path: vrrpd.intervall) [VRRPD_E_CONFIG_KEYWORD]`,
      `${FILE}:15: error: 0 is out of range (1-100) (key path: vrrpd.fall) [VRRPD_E_CONFIG_VALUE]`,
      `${FILE}:16: error: expected one of none, udp, all, got 'tcp' (key path: vrrpd.conntrack_flush) [VRRPD_E_CONFIG_VALUE]`,
      `${FILE}:17: error: path 'relative.log' must be absolute (key path: vrrpd.log_file) [VRRPD_E_CONFIG_VALUE]`,
    ]);
    expect(messages).toContain("  hint: did you mean 'interval'?");
  });

  it('YAML syntax errors and duplicate keys, with their lines', () => {
    const { config, messages } = parse(`gateways:
  op1: {ip: 198.51.100.1, priority: 1, priority: 2}
check_sites: [203.0.113.10
`);
    expect(config).toBeNull();
    expect(messages[0]).toBe(`${FILE}:2: error: netgwm.yml: Map keys must be unique [VRRPD_E_CONFIG_SYNTAX]`);
    expect(
      messages.some(
        (m) => m.startsWith(`${FILE}:3: error: netgwm.yml:`) || m.startsWith(`${FILE}:4: error: netgwm.yml:`),
      ),
    ).toBe(true);
  });

  it('missing sections, an empty file and a file that is not a mapping', () => {
    expect(parse('min_uptime: 10\n').messages).toEqual([
      `${FILE}:1: error: netgwm.yml has no gateways (key path: gateways) [VRRPD_E_CONFIG_MISSING]`,
      `${FILE}:1: error: netgwm.yml has no check_sites (key path: check_sites) [VRRPD_E_CONFIG_MISSING]`,
    ]);
    expect(parse('').messages).toEqual([
      `${FILE}:1: error: netgwm.yml must be a mapping (key: value, …) [VRRPD_E_CONFIG_VALUE]`,
    ]);
    expect(parse('- a\n').config).toBeNull();
  });

  it('warns about unknown keys NetGWM would ignore, with a suggestion', () => {
    const { config, messages } = parse(`${SEED}min_uptme: 30\n`);
    expect(config).not.toBeNull();
    expect(messages[0]).toBe(
      `${FILE}:14: warning: unknown key 'min_uptme' in netgwm.yml is ignored (key path: min_uptme) [VRRPD_W_CONFIG_IGNORED]`,
    );
    expect(messages[1]).toBe("  hint: did you mean 'min_uptime'?");
  });

  it('accepts what NetGWM accepts, with warnings: a shared next hop, odd ids, float priorities', () => {
    const { config, messages } = parse(`gateways:
  a: {ip: 198.51.100.1, priority: 1}
  b: {ip: 198.51.100.1, priority: 2}
  auto: {ip: 198.51.100.2, priority: 3}
  my uplink: {ip: 198.51.100.3, priority: 1.5}
  isp/2: {ip: 198.51.100.4, priority: -1}
check_sites: [203.0.113.10]
check_all_gateways: "yes please"
`);
    expect(messages.filter((m) => !m.startsWith('  hint'))).toEqual([
      `${FILE}:3: warning: gateway b has the same ip and dev as a: a route through them is taken for a (key path: gateways.b) [VRRPD_W_CONFIG_SUSPICIOUS]`,
      `${FILE}:4: warning: gateway id 'auto' cannot be pinned: mode auto means automatic selection (key path: gateways.auto) [VRRPD_W_CONFIG_SUSPICIOUS]`,
      `${FILE}:5: warning: gateway id 'my uplink' contains spaces or control characters: accepted; post-replace.d hooks get it as one argument (NetGWM's shell split it into several) (key path: gateways.my uplink) [VRRPD_W_CONFIG_SUSPICIOUS]`,
      `${FILE}:5: warning: priority 1.5 of gateway my uplink is not a whole number: accepted and compared as a number, as NetGWM does (key path: gateways.my uplink.priority) [VRRPD_W_CONFIG_SUSPICIOUS]`,
      `${FILE}:6: warning: gateway id 'isp/2' contains '/': accepted, but it gets no status file of its own (key path: gateways.isp/2) [VRRPD_W_CONFIG_SUSPICIOUS]`,
      `${FILE}:8: warning: check_all_gateways is not true or false: taken as false, as NetGWM does (key path: check_all_gateways) [VRRPD_W_CONFIG_SUSPICIOUS]`,
    ]);
    expect(config?.gateways.map((g) => [g.id, g.priority])).toEqual([
      ['a', 1],
      ['b', 2],
      ['auto', 3],
      ['my uplink', 1.5],
      ['isp/2', -1],
    ]);
  });

  it('loads through a file source, and reports an unreadable file', () => {
    const sink = new DiagnosticSink();
    expect(loadNetgwmConfig(FILE, memoryFileSource({ [FILE]: SEED }), sink)?.gateways).toHaveLength(3);
    expect(loadNetgwmConfig('/nowhere.yml', memoryFileSource({}), sink)).toBeNull();
    expect(formatDiagnostic(sink.diagnostics[0]!)).toEqual([
      '/nowhere.yml: error: cannot read netgwm.yml: no such file [VRRPD_E_CONFIG_FILE]',
    ]);
  });
});

function groupTree(text: string, sink: DiagnosticSink) {
  const { lines } = preprocess({
    entryFile: '/etc/keepalived/keepalived.conf',
    configId: 'test',
    files: memoryFileSource({ '/etc/keepalived/keepalived.conf': text }),
    sink,
  });
  return buildBlockTree(lines, sink);
}

function parseGroups(text: string) {
  const sink = new DiagnosticSink();
  const ctx = { sink, where: 'the top level', keywordHomes: new Map<string, readonly string[]>() };
  const groups = groupTree(text, sink).flatMap((node) => {
    const group = parseUplinkGroupBlock(node, ctx);
    return group ? [group] : [];
  });
  return { groups, sink, messages: () => sink.diagnostics.flatMap((d) => formatDiagnostic(d)) };
}

describe('uplink_group in keepalived.conf', () => {
  it('reads config, the followed instance and the leave-master policy', () => {
    const { groups, messages } = parseGroups(`uplink_group ISP {
    config /etc/netgwm/netgwm.yml
    follow_instance VI_1
    on_leave_master fallback via 192.0.2.2 dev eth0
}
uplink_group LAB {
    follow_group G1
}
uplink_group SOLO {
    config /srv/solo.yml
    on_leave_master leave
}
`);
    expect(messages()).toEqual([]);
    expect(groups).toEqual([
      {
        name: 'ISP',
        configPath: '/etc/netgwm/netgwm.yml',
        follow: {
          kind: 'instance',
          name: 'VI_1',
          source: { file: '/etc/keepalived/keepalived.conf', line: 3 },
        },
        onLeaveMaster: { kind: 'fallback', via: '192.0.2.2', dev: 'eth0' },
        source: { file: '/etc/keepalived/keepalived.conf', line: 1 },
      },
      expect.objectContaining({
        name: 'LAB',
        configPath: '/etc/netgwm/netgwm.yml',
        follow: expect.objectContaining({ kind: 'group', name: 'G1' }),
        onLeaveMaster: { kind: 'leave' },
      }),
      expect.objectContaining({ name: 'SOLO', configPath: '/srv/solo.yml', follow: null }),
    ]);
  });

  it('reports bad values with file:line', () => {
    const { groups, messages } = parseGroups(`uplink_group ISP {
    config netgwm.yml
    follow_instance VI_1
    follow_group G1
    on_leave_master fallback via 2001:db8::1
    on_leave_master sometimes
    interval 2
}
`);
    expect(groups).toEqual([]);
    expect(messages().filter((m) => !m.startsWith('  hint'))).toEqual([
      "/etc/keepalived/keepalived.conf:2: error: config path 'netgwm.yml' must be absolute [VRRPD_E_CONFIG_VALUE]",
      '/etc/keepalived/keepalived.conf:5: error: on_leave_master via 2001:db8::1 is IPv6 but uplink_group ISP is IPv4 [VRRPD_E_CONFIG_CONFLICT]',
      "/etc/keepalived/keepalived.conf:6: warning: 'on_leave_master' is repeated in uplink_group ISP (first at line 5); the last one is used, as keepalived does [VRRPD_W_CONFIG_SUSPICIOUS]",
      "/etc/keepalived/keepalived.conf:6: error: on_leave_master expects 'leave' or 'fallback via <IP> [dev <DEV>]', got 'sometimes' [VRRPD_E_CONFIG_VALUE]",
      "/etc/keepalived/keepalived.conf:7: error: unknown keyword 'interval' in uplink_group ISP [VRRPD_E_CONFIG_KEYWORD]",
      '/etc/keepalived/keepalived.conf:4: error: uplink_group ISP follows more than one instance or group [VRRPD_E_CONFIG_CONFLICT]',
    ]);
  });

  it('checks references and duplicate names after the whole file is read', () => {
    const { groups, sink, messages } = parseGroups(`uplink_group A {
    follow_instance VI_2
}
uplink_group A {
    follow_group G1
}
`);
    checkUplinkGroupReferences(groups, { instances: ['VI_1'], syncGroups: ['G1'] }, sink);
    expect(messages()).toEqual([
      '/etc/keepalived/keepalived.conf:2: error: uplink_group A follows vrrp_instance VI_2, which does not exist [VRRPD_E_CONFIG_REFERENCE]',
      "  hint: did you mean 'VI_1'?",
      '/etc/keepalived/keepalived.conf:4: error: uplink_group A is defined twice (first at /etc/keepalived/keepalived.conf:1) [VRRPD_E_CONFIG_CONFLICT]',
    ]);
  });

  it('refuses two groups sharing a route table, state file or probe ranges', () => {
    const { groups, sink, messages } = parseGroups('uplink_group A {\n}\nuplink_group B {\n}\n');
    const config = parse(SEED).config as NetgwmConfig;
    checkUplinkGroupConflicts(
      [
        { decl: groups[0]!, config },
        {
          decl: groups[1]!,
          config: {
            ...config,
            routeTable: 100,
            stateFile: '/var/lib/vrrpd/b.json',
            modeFile: null,
            statusDir: '/run/netgwm-b',
            probeFwmarkBase: 0x100,
          },
        },
      ],
      sink,
    );
    expect(messages()[0]).toBe(
      '/etc/keepalived/keepalived.conf:3: error: uplink_group B and A share probe tables, probe rule priorities [VRRPD_E_CONFIG_CONFLICT]',
    );
  });
});

describe('the generated reference', () => {
  it('documents every key of the vrrpd: section with its default', () => {
    const markdown = netgwmExtensionsMarkdown();
    for (const spec of NETGWM_EXTENSIONS) expect(markdown).toContain(`| \`${spec.key}\` |`);
    expect(markdown).toContain('| `route_table` | `main \\| <1-4294967295>` | main |');
  });
});
