// Differential check against the real keepalived 2.2.7 (issue 13): every file of the corpus and of
// examples/, and a few one-construct files, go through `vrrpd -t` and through keepalived, inside a
// throw-away network namespace holding the interfaces the files name (eth0..eth2). The verdicts must
// agree — both run the file, or both refuse it — and where both run it, so must the instances:
// state, priority, advertised addresses, unicast peers, authentication (to the byte) and tracked
// scripts — and so must the `-t` exit statuses (keepalived exits 5 after anything it reports,
// vrrpd wherever keepalived would). keepalived's verdict and model come from a short real run with
// its configuration dump (keepalived-verdict.ts). The only differences allowed are listed in
// EXPECTED_DIFFERENCES and EXPECTED_STATUS_DIFFERENCES, each with its reason; a listed difference
// that disappears fails too, so the lists stay true. A table of every case is printed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { configTest, KEEPALIVED_EXIT } from '../../src/cli/config-commands.js';
import { scriptTestStatus } from '../../src/cli/script-test-status.js';
import { auditConfigScripts } from '../../src/daemon/scripts.js';
import type { ConfigFileSource } from '../../src/config/language/file-source.js';
import { nodeFileSource } from '../../src/daemon/config-files.js';
import {
  keepalivedVerdict,
  vrrpdView,
  type KeepalivedVerdict,
  type ModelView,
} from './keepalived-verdict.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

function available(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 5000 });
  return result.status === 0;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasTools = available('ip', ['-V']) && available('keepalived', ['--version']);
const canRun = isRoot && hasTools;
const reason = !isRoot ? 'needs root (network namespaces)' : 'needs iproute2 and keepalived';

interface Case {
  name: string;
  /** A file of the repository (relative to this directory), or inline text. */
  file?: string;
  text?: string;
  /** Inline text naming the test's own namespace. */
  textFor?: (namespace: string) => string;
  configId?: string;
}

/** Every entry file of the corpus: top-level .conf files and directories holding a keepalived.conf. */
function corpusCases(): Case[] {
  const dir = here('corpus');
  const cases: Case[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.conf'))
      cases.push({ name: `corpus ${name}`, file: `corpus/${name}`, configId: 'main' });
    else if (statSync(join(dir, name)).isDirectory())
      cases.push({ name: `corpus ${name}`, file: `corpus/${name}/keepalived.conf`, configId: 'main' });
  }
  cases.push({
    name: 'corpus 05-conditionals-params.conf (backup)',
    file: 'corpus/05-conditionals-params.conf',
    configId: 'backup',
  });
  return cases;
}

function exampleCases(): Case[] {
  const dir = here('../../examples');
  return readdirSync(dir)
    .filter((name) => name !== 'scripts' && statSync(join(dir, name)).isDirectory())
    .sort()
    .flatMap((name) =>
      ['router1', 'router2'].map((configId) => ({
        name: `examples/${name} (${configId})`,
        file: `../../examples/${name}/keepalived.conf`,
        configId,
      })),
    );
}

const base = (extra: string, name = 'VI_1', vip = '192.0.2.90'): string =>
  `vrrp_instance ${name} {\n  interface eth1\n  virtual_router_id 90\n${extra}\n  virtual_ipaddress {\n    ${vip}/24\n  }\n}\n`;

/** Single constructs the corpus files do not isolate. */
const INLINE: Case[] = [
  { name: 'missing include', text: `include /nonexistent/x.conf\n${base('')}` },
  { name: 'state MASTER without priority', text: base('  state MASTER') },
  { name: 'junk number (priority 10x)', text: base('  priority 10x') },
  { name: 'leading number (garp_master_delay 3s)', text: base('  garp_master_delay 3s') },
  { name: 'unicast_peer {} empty', text: base('  unicast_peer {\n  }') },
  { name: 'duplicate VRID', text: base('') + base('', 'VI_2', '192.0.2.91') },
  {
    name: 'duplicate VRID with disjoint unicast peers',
    text:
      base('  unicast_peer {\n    192.0.2.2\n  }') +
      base('  unicast_peer {\n    192.0.2.3\n  }', 'VI_2', '192.0.2.91'),
  },
  {
    // The same configured source: keepalived's check does not then depend on the addresses the
    // interface has at the moment (it skips instances whose source is not known yet).
    name: 'duplicate VRID with a shared unicast peer',
    text:
      base('  unicast_src_ip 192.0.2.1\n  unicast_peer {\n    192.0.2.2\n  }') +
      base(
        '  unicast_src_ip 192.0.2.1\n  unicast_peer {\n    192.0.2.2\n    192.0.2.3\n  }',
        'VI_2',
        '192.0.2.91',
      ),
  },
  {
    name: 'duplicate VRID, one unicast and one multicast',
    text: base('  unicast_peer {\n    192.0.2.2\n  }') + base('', 'VI_2', '192.0.2.91'),
  },
  {
    name: 'duplicate VRID, multicast to different groups',
    text: base('  mcast_dst_ip 224.0.0.19') + base('', 'VI_2', '192.0.2.91'),
  },
  {
    name: 'unicast_peer listed twice (keepalived keeps both, silent: 0)',
    text: base('  unicast_peer {\n    192.0.2.2\n    192.0.2.3\n    192.0.2.2\n  }'),
  },
  { name: 'unicast_ttl 0', text: base('  unicast_ttl 0\n  unicast_peer {\n    192.0.2.2\n  }') },
  {
    name: 'VRRPv3 without addresses',
    text: 'vrrp_instance V {\n  interface eth1\n  virtual_router_id 91\n  version 3\n}\n',
  },
  { name: "'#' inside single quotes", text: base("  notify '/bin/echo a#b'") },
  { name: 'auth_type PASS without auth_pass', text: base('  authentication {\n    auth_type PASS\n  }') },
  // -t statuses: what keepalived reports (5) and what it does not (0), one construct each.
  {
    name: 'use_vmac with unicast peers, no vmac_xmit_base (reported: 5)',
    text: base('  use_vmac\n  unicast_peer {\n    192.0.2.2\n  }'),
  },
  {
    name: 'use_vmac with check_unicast_src alone (reported: 5, multicast from the base)',
    text: base('  use_vmac\n  check_unicast_src'),
  },
  {
    name: 'vrrp_strict: state MASTER without being the owner (reported: 5)',
    text: `global_defs {\n  vrrp_strict\n}\n${base('  state MASTER\n  priority 100')}`,
  },
  {
    name: 'strict_mode: state BACKUP with priority 255 (reported: 5, starts MASTER)',
    text: base('  strict_mode\n  state BACKUP\n  priority 255'),
  },
  {
    name: 'sync group with one member (reported: 5)',
    text: `vrrp_sync_group G {\n  group {\n    VI_1\n  }\n}\n${base('')}`,
  },
  { name: 'unicast_ttl without unicast peers (reported: 5)', text: base('  unicast_ttl 5') },
  {
    name: 'IPv6 with version 2 (vrrpd warns, keepalived silent: 0)',
    text: base('  version 2', 'VI_1', '2001:db8::90'),
  },
  {
    name: 'vrrp_gna_interval of seconds (vrrpd warns, keepalived only logs: 0)',
    text: `global_defs {\n  vrrp_gna_interval 2\n}\n${base('')}`,
  },
  { name: 'stray argument (nopreempt 1; keepalived silent: 0)', text: base('  nopreempt 1') },
  {
    name: "net_namespace naming the test's namespace (entered: interfaces are its own)",
    textFor: (namespace) => `net_namespace ${namespace}\n${base('')}`,
  },
  {
    name: 'use_ipvlan without an address (reported: 5, runs in FAULT)',
    text: base('  use_ipvlan ipvl90'),
  },
  {
    name: 'notify_fifo and vrrp_notify_fifo on one path',
    text: `global_defs {\n  notify_fifo /tmp/vrrpd-agreement.fifo\n  vrrp_notify_fifo /tmp/vrrpd-agreement.fifo\n}\n${base('')}`,
  },
  {
    name: 'use_ipvlan with use_vmac (vrrpd warns, keepalived silent: 0)',
    text: base('  use_vmac\n  use_ipvlan 192.0.2.10/24'),
  },
];

/**
 * What is truly left, each with its reason. `verdict`: the two verdicts differ; `model`: both run
 * the file, with different instances.
 */
const EXPECTED_DIFFERENCES: Readonly<Record<string, { kind: 'verdict' | 'model'; reason: string }>> = {};

/**
 * Where both run the file but `keepalived -t` exits with another status than `vrrpd -t` (the
 * status configTest gives, then status 6 from the scripts found on this host, as the CLI decides
 * it: script-test-status.ts).
 */
const KILLS_ITSELF =
  'keepalived -t has no status: it kills itself (SIGTERM) while checking a script run as a non-root user, finding that its parent is not a keepalived process (lib/notify.c, check_script_secure), as is always so under -t';
const EXPECTED_STATUS_DIFFERENCES: Readonly<Record<string, string>> = {
  "'#' inside single quotes":
    "keepalived reports the line (a comment inside single quotes) and reads the script as '/bin/echo a, which does not exist: 5; vrrpd accepts the line, as both quote kinds protect comments, and /bin/echo exists without enable_script_security: 6",
  'corpus 06-quotes-escapes.conf': KILLS_ITSELF,
  'corpus 09-tracking.conf': KILLS_ITSELF,
  'corpus 10-unicast-many.conf': KILLS_ITSELF,
  'examples/uplinks (router1)':
    "uplink_group is vrrpd's own block: keepalived reports it as an unknown keyword (5) and skips it",
  'examples/uplinks (router2)':
    "uplink_group is vrrpd's own block: keepalived reports it as an unknown keyword (5) and skips it",
};

const CASES: Case[] = [...corpusCases(), ...exampleCases(), ...INLINE];

/** The files as installed: examples/uplinks names /etc/netgwm/netgwm.yml (keepalived skips that block). */
const installedFiles: ConfigFileSource = {
  readFile: (path) =>
    nodeFileSource().readFile(
      path === '/etc/netgwm/netgwm.yml' ? here('../../examples/uplinks/netgwm.yml') : path,
    ),
  listDirectory: (path) => nodeFileSource().listDirectory(path),
};

interface Row {
  name: string;
  keepalivedTest: number | null;
  keepalived: string;
  vrrpdTest: number;
  vrrpd: string;
  agrees: boolean;
  note: string;
}

describe.runIf(!canRun && process.env.CI === 'true')('keepalived agreement (CI)', () => {
  it('must run in CI', () => {
    throw new Error(`keepalived agreement test cannot run: ${reason}`);
  });
});

describe.skipIf(!canRun)(`keepalived agreement${canRun ? '' : ` (skipped: ${reason})`}`, () => {
  const namespace = `vcfg${process.pid % 100000}${Math.floor(Math.random() * 1000)}`;
  let dir = '';
  let interfaces = new Set<string>();
  const rows: Row[] = [];

  function ip(...args: string[]): string {
    const result = spawnSync('ip', args, { encoding: 'utf8', timeout: 5000 });
    if (result.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vrrpd-agreement-'));
    ip('netns', 'add', namespace);
    for (const i of [0, 1, 2]) {
      ip('-n', namespace, 'link', 'add', `eth${i}`, 'type', 'veth', 'peer', 'name', `peer${i}`);
      ip('-n', namespace, 'link', 'set', `eth${i}`, 'up');
      ip('-n', namespace, 'link', 'set', `peer${i}`, 'up');
    }
    ip('-n', namespace, 'addr', 'add', '203.0.113.1/24', 'dev', 'eth0');
    ip('-n', namespace, 'addr', 'add', '192.0.2.1/24', 'dev', 'eth1');
    ip('-n', namespace, 'addr', 'add', '198.51.100.2/24', 'dev', 'eth2');
    // What `vrrpd -t` sees on a host: the namespace's interfaces (the CLI lists them over netlink).
    const links = JSON.parse(ip('-n', namespace, '-j', 'link', 'show')) as Array<{ ifname: string }>;
    interfaces = new Set(links.map((l) => l.ifname));
  });

  afterAll(() => {
    spawnSync('ip', ['netns', 'del', namespace], { stdio: 'ignore', timeout: 5000 });
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (rows.length === 0) return;
    const table = [
      '| case | keepalived -t | keepalived | vrrpd -t | vrrpd | agree | note |',
      '| --- | ---: | --- | ---: | --- | --- | --- |',
      ...[...rows]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map(
          (r) =>
            `| ${r.name} | ${r.keepalivedTest} | ${r.keepalived} | ${r.vrrpdTest} | ${r.vrrpd} | ${r.agrees ? 'yes' : 'NO'} | ${r.note} |`,
        ),
      `${rows.filter((r) => r.agrees).length} of ${rows.length} agree; differences left: ${Object.keys(EXPECTED_DIFFERENCES).length} (verdict or model), ${Object.keys(EXPECTED_STATUS_DIFFERENCES).length} (-t status)`,
    ];
    console.log(`\nkeepalived 2.2.7 agreement\n${table.join('\n')}\n`);
  });

  /** The first difference between the two models, or null. */
  function modelDifference(
    keepalived: ModelView,
    vrrpd: ModelView,
    verdict: KeepalivedVerdict,
  ): string | null {
    const names = (o: object) => Object.keys(o).sort().join(',');
    if (names(keepalived.instances) !== names(vrrpd.instances))
      return `instances: keepalived ${names(keepalived.instances)}, vrrpd ${names(vrrpd.instances)}`;
    for (const [name, k] of Object.entries(keepalived.instances)) {
      const v = vrrpd.instances[name];
      if (!v) return `no vrrpd instance ${name}`;
      const ours = { ...v, scripts: v.scripts.filter((s) => !verdict.disabledScripts.includes(s)) };
      for (const field of ['state', 'priority', 'vips', 'peers', 'auth', 'password', 'scripts'] as const) {
        if (JSON.stringify(k[field]) !== JSON.stringify(ours[field]))
          return `${name} ${field}: keepalived ${JSON.stringify(k[field])}, vrrpd ${JSON.stringify(ours[field])}`;
      }
    }
    if (JSON.stringify(keepalived.syncGroups) !== JSON.stringify(vrrpd.syncGroups))
      return `sync groups: keepalived ${JSON.stringify(keepalived.syncGroups)}, vrrpd ${JSON.stringify(vrrpd.syncGroups)}`;
    return null;
  }

  for (const testCase of CASES) {
    // Concurrent: each case's keepalived run is mostly waiting for its dump (own pid files, own
    // temporary directory), and running them side by side keeps this file's CI time short.
    it.concurrent(`${testCase.name}: same verdict and instances as keepalived`, async ({ expect }) => {
      let file: string;
      if (testCase.file) {
        file = here(testCase.file);
      } else {
        file = join(dir, `${testCase.name.replace(/[^a-z0-9]+/gi, '-')}.conf`);
        writeFileSync(file, testCase.textFor?.(namespace) ?? testCase.text ?? '');
      }
      const configId = testCase.configId ?? 'vrrpd';
      const keepalived = await keepalivedVerdict(namespace, file, configId);
      // What `vrrpd -t` sees on a host: the namespaces of /run/netns (here only the test's own matters).
      const namespaces = new Set([namespace]);
      const vrrpd = configTest({ file, configId, interfaces, namespaces, files: installedFiles });
      const vrrpdRuns = vrrpd.exitCode !== KEEPALIVED_EXIT.CONFIG;
      // As `vrrpd -t` (vrrpd.ts): the scripts are checked on this host, which may give status 6.
      const vrrpdStatus = vrrpdRuns
        ? scriptTestStatus({
            parseStatus: vrrpd.exitCode,
            instances: vrrpd.result.config.instances.length,
            enableScriptSecurity: vrrpd.result.config.globals.enableScriptSecurity,
            scriptsFound: auditConfigScripts(vrrpd.result.config).found,
          }).status
        : vrrpd.exitCode;
      let difference: string | null = null;
      if (keepalived.runs !== vrrpdRuns) {
        difference = `keepalived ${keepalived.runs ? 'runs' : 'refuses'} it, vrrpd ${vrrpdRuns ? 'runs' : 'refuses'} it`;
      } else if (keepalived.runs && keepalived.model) {
        difference = modelDifference(keepalived.model, vrrpdView(vrrpd.result.config), keepalived);
      }
      // Where both run it, keepalived's -t status must be vrrpd's (keepalived's status alone cannot
      // say whether it runs a file: it exits 5 for some files it then refuses).
      const bothRun = keepalived.runs && vrrpdRuns;
      const statusDifference =
        bothRun && keepalived.testExit !== vrrpdStatus
          ? `-t status: keepalived ${keepalived.testExit}, vrrpd ${vrrpdStatus}`
          : null;
      const expected = EXPECTED_DIFFERENCES[testCase.name];
      const expectedStatus = EXPECTED_STATUS_DIFFERENCES[testCase.name];
      const notes = [
        expected ? `expected: ${expected.reason}` : difference,
        expectedStatus ? `expected -t status difference: ${expectedStatus}` : statusDifference,
      ].filter((note): note is string => note !== null);
      rows.push({
        name: testCase.name,
        keepalivedTest: keepalived.testExit,
        keepalived: keepalived.runs ? 'runs' : `refuses (${keepalived.stopReason})`,
        vrrpdTest: vrrpdStatus,
        vrrpd: vrrpdRuns ? 'runs' : 'refuses',
        agrees: difference === null && statusDifference === null,
        note: notes.join('; '),
      });
      const context = [
        `keepalived -t (${keepalived.testExit}):`,
        keepalived.testOutput,
        'vrrpd -t:',
        ...vrrpd.lines,
      ].join('\n');
      if (expected) {
        expect(
          difference,
          `listed as an expected difference but now agrees: remove it\n${context}`,
        ).not.toBeNull();
        expect(difference?.startsWith('keepalived ') && expected.kind === 'verdict').toBe(
          expected.kind === 'verdict',
        );
      } else {
        expect(difference, context).toBeNull();
      }
      if (expectedStatus) {
        expect(
          statusDifference,
          `listed as an expected -t status difference but the statuses now agree (or the verdicts differ): remove it\n${context}`,
        ).not.toBeNull();
      } else {
        expect(statusDifference, context).toBeNull();
      }
    });
  }
});
