// VirtualResources' failure reporting: an address whose interface vanished between the lookup and
// the request (ENODEV: a VMAC or base interface deleted while MASTER) went with the interface,
// which is what removal asked for, so it is not logged as a failure; any other error is.
import { describe, expect, it } from 'vitest';
import { NetlinkError } from '../../src/kernel/netlink-socket.js';
import type { KernelAddresses } from '../../src/kernel/addresses.js';
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
    const errors: Record<string, Error> = {
      '192.0.2.10': new NetlinkError('delete address', 'ENODEV', 'No such device'),
      '192.0.2.11': new NetlinkError('delete address', 'EPERM', 'Operation not permitted'),
    };
    const addresses = {
      remove: async (spec: { address: string }) => {
        const error = errors[spec.address];
        if (error) throw error;
        return 'removed';
      },
    } as unknown as KernelAddresses;
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
