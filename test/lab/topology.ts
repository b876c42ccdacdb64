// The standard VRRP segment of DESIGN.md: routers r1, r2 (optionally r3) and a client c1, each
// with `eth0` on one bridge in a switch namespace `sw`, addressed in 192.0.2.0/24 (RFC 5737
// documentation range), with 192.0.2.254 left free for the virtual address.
//
// Uplink scenarios extend the returned lab with more namespaces and links, e.g.
//   await lab.addSwitch('isp1'); await lab.addNamespace('op1');
//   await lab.attach('r1', 'eth1', 'isp1', '198.51.100.1/24'); await lab.attach('op1', 'eth0', 'isp1', ...)

import { Lab } from './lab.js';

export const SEGMENT_PREFIX_LENGTH = 24;
export const SEGMENT_INTERFACE = 'eth0';
export const VIP = '192.0.2.254';
export const CLIENT = 'c1';
export const SWITCH = 'sw';

const ADDRESSES: Record<string, string> = {
  r1: '192.0.2.1',
  r2: '192.0.2.2',
  r3: '192.0.2.3',
  c1: '192.0.2.100',
};

export interface RouterSegment {
  lab: Lab;
  /** Router roles in order: ['r1', 'r2'] or ['r1', 'r2', 'r3']. */
  routers: string[];
  client: typeof CLIENT;
  vip: typeof VIP;
  /** The segment interface in every node namespace. */
  ifname: typeof SEGMENT_INTERFACE;
  /** The node's own address on the segment (no prefix length). */
  addressOf(role: string): string;
}

export function segmentAddressOf(role: string): string {
  const address = ADDRESSES[role];
  if (!address) throw new Error(`no segment address for role ${role}`);
  return address;
}

/** Builds the segment; on any failure the partial lab is torn down before rethrowing. */
export async function createRouterSegment(options: { routers?: 2 | 3 } = {}): Promise<RouterSegment> {
  const routers = options.routers === 3 ? ['r1', 'r2', 'r3'] : ['r1', 'r2'];
  const lab = new Lab();
  try {
    await lab.addSwitch(SWITCH);
    for (const role of [...routers, CLIENT]) {
      await lab.addNamespace(role);
      await lab.attach(role, SEGMENT_INTERFACE, SWITCH, `${segmentAddressOf(role)}/${SEGMENT_PREFIX_LENGTH}`);
    }
  } catch (error) {
    await lab.teardown().catch(() => undefined);
    throw error;
  }
  return {
    lab,
    routers,
    client: CLIENT,
    vip: VIP,
    ifname: SEGMENT_INTERFACE,
    addressOf: segmentAddressOf,
  };
}
