// `vrf NAME` groundwork on a real kernel: a VRF device made in a namespace this test creates is
// looked up over rtnetlink (its table from IFLA_VRF_TABLE), a veth is "not a VRF", a missing name is
// "absent" (keepalived vrrp_iproute.c's two errors), and a route installed in the table found is
// read back with `ip route show vrf NAME`. Needs CONFIG_NET_VRF: skipped with the reason otherwise
// (VRRPD_REQUIRE_VRF=1 makes that an error). Only documentation prefixes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../lab/lab.js';
import { requireRoot, requireVrf } from '../lab/root.js';
import type { JsonLinesChild } from '../lab/json-lines.js';
import { startKernelAgent } from './agent/agent-client.js';

const skipRoot = requireRoot();
const skip = requireVrf();

describe.skipIf(skipRoot !== undefined)('VRF lookup of links that are no VRF (real kernel)', () => {
  const lab = new Lab();
  let agent: JsonLinesChild;

  beforeAll(async () => {
    await lab.addNamespace('n');
    await lab.addNamespace('p');
    await lab.addVethPair('n', 'eth0', 'p', 'eth0');
    agent = await startKernelAgent(lab, 'n');
  });

  afterAll(async () => {
    await lab.teardown();
  });

  it('a veth is not a VRF; a missing name is absent', async () => {
    expect(await agent.request('vrf.lookup', { name: 'eth0' })).toEqual({ error: 'not-vrf' });
    expect(await agent.request('vrf.lookup', { name: 'red' })).toEqual({ error: 'absent' });
  });
});

describe.skipIf(skip !== undefined)(
  `VRF table lookup on a real kernel${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const lab = new Lab();
    let agent: JsonLinesChild;

    beforeAll(async () => {
      await lab.addNamespace('n');
      await lab.addNamespace('p');
      await lab.addVethPair('n', 'eth0', 'p', 'eth0');
      await lab.ip('n', ['link', 'add', 'blue', 'type', 'vrf', 'table', '1234']);
      await lab.ip('n', ['link', 'set', 'blue', 'up']);
      agent = await startKernelAgent(lab, 'n');
    });

    afterAll(async () => {
      await lab.teardown();
    });

    it('finds the table of a VRF, and tells a missing name from a link that is not a VRF', async () => {
      expect(await agent.request('vrf.lookup', { name: 'blue' })).toEqual({ table: 1234 });
      expect(await agent.request('vrf.lookup', { name: 'eth0' })).toEqual({ error: 'not-vrf' });
      expect(await agent.request('vrf.lookup', { name: 'red' })).toEqual({ error: 'absent' });
    });

    it('a route installed in the table found is in the VRF', async () => {
      const found = (await agent.request('vrf.lookup', { name: 'blue' })) as { table: number };
      const spec = { destination: '198.51.100.0', prefixLength: 24, type: 'unreachable', table: found.table };
      expect(await agent.request('routes.add', spec)).toBe('added');
      const { stdout } = await lab.ip('n', ['-j', 'route', 'show', 'vrf', 'blue']);
      expect(JSON.parse(stdout) as unknown[]).toContainEqual(
        expect.objectContaining({ type: 'unreachable', dst: '198.51.100.0/24' }),
      );
      expect(await agent.request('routes.remove', spec)).toBe('removed');
    });
  },
);
