// The standard VRRP segment of DESIGN.md: routers r1, r2 (optionally r3) and a client c1, each
// with `eth0` on one bridge in a switch namespace `sw`, addressed in 192.0.2.0/24 (RFC 5737
// documentation range), with 192.0.2.254 left free for the virtual address. With `ipv6`, every
// node also gets 2001:db8::N/64 (RFC 3849) and the segment's virtual address is 2001:db8::254.
//
// Uplink scenarios extend the returned lab with more namespaces and links, e.g.
//   await lab.addSwitch('isp1'); await lab.addNamespace('op1');
//   await lab.attach('r1', 'eth1', 'isp1', '198.51.100.1/24'); await lab.attach('op1', 'eth0', 'isp1', ...)

import { Lab } from './lab.js';

export const SEGMENT_PREFIX_LENGTH = 24;
export const SEGMENT_INTERFACE = 'eth0';
export const VIP = '192.0.2.254';
export const VIP6 = '2001:db8::254';
export const CLIENT = 'c1';
export const SWITCH = 'sw';

const ADDRESSES: Record<string, string> = {
  r1: '192.0.2.1',
  r2: '192.0.2.2',
  r3: '192.0.2.3',
  c1: '192.0.2.100',
};

const ADDRESSES6: Record<string, string> = {
  r1: '2001:db8::1',
  r2: '2001:db8::2',
  r3: '2001:db8::3',
  c1: '2001:db8::100',
};
const PREFIX_LENGTH6 = 64;

/**
 * Fixed, locally administered MACs in address order, so the link-local addresses derived from them
 * (the IPv6 adverts' source, RFC 5798 §6.4.3's tie-break) order the routers as their IPv4
 * addresses do: r1 < r2 < r3 whichever family a test runs.
 */
const MACS: Record<string, string> = {
  r1: '02:00:5e:10:00:01',
  r2: '02:00:5e:10:00:02',
  r3: '02:00:5e:10:00:03',
  c1: '02:00:5e:10:00:64',
};
/** Link-local addresses are tentative for about a second after the link comes up (DAD). */
const DAD_WAIT_MS = 10_000;

export interface RouterSegment {
  lab: Lab;
  /** Router roles in order: ['r1', 'r2'] or ['r1', 'r2', 'r3']. */
  routers: string[];
  client: typeof CLIENT;
  /** The virtual address of the segment's family. */
  vip: string;
  /** The segment interface in every node namespace. */
  ifname: typeof SEGMENT_INTERFACE;
  /** The node's own address on the segment (no prefix length). */
  addressOf(role: string): string;
}

export function segmentAddressOf(role: string, family: 'ipv4' | 'ipv6' = 'ipv4'): string {
  const address = (family === 'ipv6' ? ADDRESSES6 : ADDRESSES)[role];
  if (!address) throw new Error(`no segment address for role ${role}`);
  return address;
}

/** Builds the segment; on any failure the partial lab is torn down before rethrowing. */
export async function createRouterSegment(
  options: { routers?: 2 | 3; ipv6?: boolean } = {},
): Promise<RouterSegment> {
  const routers = options.routers === 3 ? ['r1', 'r2', 'r3'] : ['r1', 'r2'];
  const lab = new Lab();
  try {
    await lab.addSwitch(SWITCH);
    for (const role of [...routers, CLIENT]) {
      await lab.addNamespace(role);
      await lab.attach(
        role,
        SEGMENT_INTERFACE,
        SWITCH,
        `${segmentAddressOf(role)}/${SEGMENT_PREFIX_LENGTH}`,
        {
          mac: MACS[role],
        },
      );
      if (options.ipv6) {
        const address = `${segmentAddressOf(role, 'ipv6')}/${PREFIX_LENGTH6}`;
        await lab.ip(role, ['-6', 'addr', 'add', address, 'dev', SEGMENT_INTERFACE, 'nodad']);
      }
    }
    if (options.ipv6) await waitForLinkLocals(lab, [...routers, CLIENT]);
  } catch (error) {
    await lab.teardown().catch(() => undefined);
    throw error;
  }
  return {
    lab,
    routers,
    client: CLIENT,
    vip: options.ipv6 ? VIP6 : VIP,
    ifname: SEGMENT_INTERFACE,
    addressOf: segmentAddressOf,
  };
}

/** Waits (bounded) until no node's link-local address is tentative any more. */
async function waitForLinkLocals(lab: Lab, roles: string[]): Promise<void> {
  const deadline = Date.now() + DAD_WAIT_MS;
  for (const role of roles) {
    for (;;) {
      const { stdout } = await lab.ip(role, [
        '-6',
        '-j',
        'addr',
        'show',
        'dev',
        SEGMENT_INTERFACE,
        'tentative',
      ]);
      const tentative = (JSON.parse(stdout || '[]') as Array<{ addr_info?: unknown[] }>).some(
        (link) => (link.addr_info ?? []).length > 0,
      );
      if (!tentative) break;
      if (Date.now() > deadline)
        throw new Error(`${role}: link-local address still tentative after ${DAD_WAIT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
