// Removing an address whose interface vanished between the index lookup and the request (ENODEV:
// a VMAC or base interface deleted while MASTER): the address went with the interface, which is
// what removal asked for, so the kernel layer reports it 'absent' and VirtualResources logs no
// failure; any other error is logged.
import { describe, expect, it } from 'vitest';
import { NetlinkError, type RouteNetlink } from '../../src/kernel/netlink-socket.js';
import { createKernelAddresses } from '../../src/kernel/addresses.js';
import { createLogger } from '../../src/runtime/log.js';
import { VirtualResources, type KernelResources } from '../../src/daemon/virtual-resources.js';
import type { VipSpec } from '../../src/config/model/types.js';

const vip = (address: string): VipSpec =>
  ({ address, prefix: 24, family: 'ipv4', dev: null, source: { file: 'f', line: 1 } }) as unknown as VipSpec;

describe('VirtualResources.removeAddresses', () => {
  it('is silent about an interface already gone, and logs other failures', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({
      level: 'debug',
      pretty: false,
      destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    const errors: Record<string, string> = { '192.0.2.10': 'ENODEV', '192.0.2.11': 'EPERM' };
    // The kernel's answer to each removal, found by the address the request names.
    const answer = (operation: string) => {
      const code = Object.entries(errors).find(([address]) => operation.includes(`${address}/`))?.[1];
      if (code) throw new NetlinkError(operation, code, code);
    };
    const netlink: RouteNetlink = {
      request: async (operation) => {
        answer(operation);
        return [] as never;
      },
      exchange: async (operation) => {
        answer(operation);
        return [];
      },
      close: () => undefined,
    };
    const addresses = createKernelAddresses(netlink);
    expect(await addresses.remove({ ifindex: 7, address: '192.0.2.10', prefixLength: 24 })).toBe('absent');
    const resources = new VirtualResources(
      { addresses } as unknown as KernelResources,
      { indexOf: () => 7 },
      logger,
    );
    await resources.removeAddresses(
      'VI_1',
      [vip('192.0.2.10'), vip('192.0.2.11'), vip('192.0.2.12')],
      'eth0',
    );
    expect(lines.filter((l) => l.code === 'VRRPD_VIP_REMOVE').map((l) => l.vip)).toEqual(['192.0.2.11']);
  });
});
