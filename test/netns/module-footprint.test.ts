// Issue 15: the daemon loads only what its configuration uses. The bundle the package ships runs
// in a namespace with a preloaded hook that writes, when the process exits, every file node's
// require() loaded (the bundle's external packages are loaded that way, on first use). A plain
// keepalived.conf must not load yaml, commander or raw-socket (the VRRP sockets are the addon's);
// an uplink_group must load yaml, which also shows the hook sees packages, and still no raw-socket
// (the ICMP probes are the addon's too). Neither loads node:net or node:http, stdout being a pipe
// as under systemd: the metrics endpoint and the control socket are on the addon's listener, and
// the logger does not touch process.stdout. (Metrics need no package either:
// src/control/exposition.ts writes the text format.)

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonSet, keepalivedConfig, status, waitFor } from '../lab/daemons.js';
import { requireRoot } from '../lab/root.js';
import { createRouterSegment, segmentAddressOf, type RouterSegment } from '../lab/topology.js';
import { vrrpdCommand } from '../lab/vrrpd-command.js';

const skip = requireRoot();

const OPTIONAL = ['yaml', 'commander', 'raw-socket'];

/** The packages (node_modules/<name>) among the loaded files. */
function packagesIn(files: string[]): Set<string> {
  return new Set(files.flatMap((file) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1] ?? []));
}

describe.skipIf(skip !== undefined)('modules the running daemon loads', () => {
  let segment: RouterSegment;
  let daemons: DaemonSet;
  let dir: string;

  beforeAll(async () => {
    segment = await createRouterSegment();
    daemons = new DaemonSet(segment.lab);
    dir = mkdtempSync(join(tmpdir(), 'vrrpd-modules-'));
  });

  afterAll(async () => {
    await daemons?.cleanup();
    await segment?.lab.teardown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs vrrpd in r1 until it reports its instance, stops it, returns the files it loaded. */
  async function loadedFiles(name: string, config: string, args: string[]): Promise<string[]> {
    const listPath = join(dir, `${name}.json`);
    const hookPath = join(dir, `${name}-hook.cjs`);
    writeFileSync(
      hookPath,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(listPath)}, ` +
        'JSON.stringify([...Object.keys(require.cache), ...process.moduleLoadList])));\n',
    );
    const [node, ...rest] = vrrpdCommand();
    const bundle = rest.pop()!;
    const scoped = new DaemonSet(segment.lab, {
      vrrpdCommand: [node!, ...rest, '--require', hookPath, bundle],
    });
    try {
      const daemon = scoped.start('vrrpd', 'r1', config, args);
      const up = await waitFor(async () => (await status(daemon))?.instances.length === 1, 10_000, 50);
      expect(up, daemon.logs.join('\n')).toBe(true);
      expect(await scoped.stop(daemon, 'SIGTERM')).toBe(0);
    } finally {
      await scoped.cleanup();
    }
    return JSON.parse(readFileSync(listPath, 'utf8')) as string[];
  }

  /** node's own modules among them (process.moduleLoadList: "NativeModule net"). */
  const builtinsIn = (files: string[]): Set<string> =>
    new Set(files.flatMap((entry) => /^NativeModule (\S+)$/.exec(entry)?.[1] ?? []));

  const instance = {
    priority: 200,
    unicastSrc: segmentAddressOf('r1'),
    unicastPeers: [segmentAddressOf('r2')],
  };

  it('a plain configuration loads neither yaml, commander nor raw-socket, nor node:net', async () => {
    const files = await loadedFiles('plain', keepalivedConfig([instance]), []);
    const loaded = packagesIn(files);
    expect(loaded.has('node-gyp-build')).toBe(true);
    for (const name of OPTIONAL) expect(loaded.has(name), name).toBe(false);
    const builtins = builtinsIn(files);
    expect(builtins.has('fs')).toBe(true);
    expect([...builtins].filter((name) => /^(net|http|tty)$/.test(name))).toEqual([]);
  });

  // Links and addresses have their own codec (kernel/rtnl-codec.ts): the netlink package's
  // rtnetlink layer is for routes, rules, VMACs, ipvlans and uplinks, loaded when first used.
  it("a plain configuration does not load the netlink package's rtnetlink layer", async () => {
    const files = await loadedFiles('plain-rt', keepalivedConfig([instance]), []);
    expect(files.some((file) => file.includes('/netlink/dist/raw.js'))).toBe(true);
    expect(files.filter((file) => /\/netlink\/dist\/rt\//.test(file))).toEqual([]);
  });

  it('with metrics and an uplink group: yaml; raw-socket, commander, node:net and node:http never', async () => {
    const yml = join(dir, 'netgwm.yml');
    writeFileSync(
      yml,
      [
        'gateways:',
        `  segment: {ip: ${segmentAddressOf('c1')}, dev: eth0, priority: 1}`,
        'check_sites:',
        `  - ${segmentAddressOf('c1')}`,
        'vrrpd:',
        '  log_file: null',
        '  status_dir: null',
        '  mode_file: null',
        `  state_file: ${join(dir, 'uplinks.json')}`,
        '',
      ].join('\n'),
    );
    const config = `${keepalivedConfig([instance])}uplink_group SEGMENT {\n  config ${yml}\n  follow_instance VI_1\n}\n`;
    const files = await loadedFiles('extras', config, ['--metrics-listen', '127.0.0.1:9650']);
    const loaded = packagesIn(files);
    expect(loaded.has('yaml')).toBe(true);
    expect(loaded.has('raw-socket')).toBe(false);
    expect(loaded.has('commander')).toBe(false);
    const builtins = builtinsIn(files);
    // The hook's own require of node:fs shows the list is read.
    expect(builtins.has('fs')).toBe(true);
    expect([...builtins].filter((name) => /^(net|http|_http_server|tty)$/.test(name))).toEqual([]);
  });
});
