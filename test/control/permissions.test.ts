// Access control of the control socket is its file mode: a user who is neither root nor in the
// configured group must be refused by the kernel at connect() (EACCES). These tests run a real
// client as `nobody` with setpriv, so they need root.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startControlServer, type ControlServer } from '../../src/control/server.js';
import { fakeDaemon, makeSocketDir, streams } from './socket-helpers.js';

const execFileAsync = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;
const canRun = isRoot && hasSetpriv;
if (!canRun && process.env.CI === 'true') {
  throw new Error('permissions.test.ts needs root and setpriv (util-linux) in CI');
}
if (!canRun) console.warn('skipping control socket permission tests: need root and setpriv');

function groupId(name: string): number {
  const entry = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((line) => line.startsWith(`${name}:`));
  if (!entry) throw new Error(`group ${name} missing from /etc/group`);
  return Number(entry.split(':')[2]);
}

// A minimal client: connect, ask for status, print what happened. Bounded by its own timer.
const CLIENT = `
const net = require('node:net');
const socket = net.connect(process.argv[1]);
const timer = setTimeout(() => { process.stdout.write('TIMEOUT'); process.exit(0); }, 3000);
socket.on('connect', () => socket.write('{"id":1,"command":"status"}\\n'));
socket.on('data', (chunk) => { clearTimeout(timer); process.stdout.write('REPLY ' + chunk); process.exit(0); });
socket.on('error', (error) => { clearTimeout(timer); process.stdout.write('ERROR ' + error.code); process.exit(0); });
`;

// Asynchronous on purpose: the server under test runs in this process's event loop.
async function connectAs(uid: number, gid: number, groups: number[], socketPath: string): Promise<string> {
  const groupArgs = groups.length > 0 ? [`--groups=${groups.join(',')}`] : ['--clear-groups'];
  const { stdout } = await execFileAsync(
    'setpriv',
    [`--reuid=${uid}`, `--regid=${gid}`, ...groupArgs, process.execPath, '-e', CLIENT, socketPath],
    { encoding: 'utf8', timeout: 10_000 },
  );
  return stdout;
}

describe.skipIf(!canRun)('control socket permissions', () => {
  const NOBODY = 65534;
  let cleanup: () => Promise<void>;
  let ownerOnly: ControlServer;
  let grouped: ControlServer;
  let ownerOnlyPath: string;
  let groupedPath: string;
  let nogroup: number;
  let otherGroup: number;

  beforeAll(async () => {
    const made = await makeSocketDir();
    cleanup = made.cleanup;
    nogroup = groupId('nogroup');
    otherGroup = groupId('daemon');
    ownerOnlyPath = join(made.dir, 'root-only.sock');
    groupedPath = join(made.dir, 'grouped.sock');
    ownerOnly = await startControlServer(fakeDaemon(), { streams, socketPath: ownerOnlyPath });
    grouped = await startControlServer(fakeDaemon(), { streams, socketPath: groupedPath, group: 'nogroup' });
  });

  afterAll(async () => {
    await ownerOnly?.close();
    await grouped?.close();
    await cleanup?.();
  });

  it('refuses a non-root user at connect when the socket is 0600 root', async () => {
    expect(await connectAs(NOBODY, nogroup, [], ownerOnlyPath)).toBe('ERROR EACCES');
  });

  it('admits a member of the configured group (primary or supplementary)', async () => {
    expect(await connectAs(NOBODY, nogroup, [], groupedPath)).toMatch(/^REPLY \{"id":1,"ok":true,/);
    expect(await connectAs(NOBODY, otherGroup, [nogroup], groupedPath)).toMatch(/^REPLY \{"id":1,"ok":true,/);
  });

  it('refuses a user outside the configured group', async () => {
    expect(await connectAs(NOBODY, otherGroup, [], groupedPath)).toBe('ERROR EACCES');
  });
});
