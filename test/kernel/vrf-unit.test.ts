// A VRF's table read from its link message (for `vrf NAME` on a route, keepalived
// vrrp_iproute.c): IFLA_LINKINFO { IFLA_INFO_KIND "vrf", IFLA_INFO_DATA { IFLA_VRF_TABLE u32 } }
// (if_link.h), byte for byte as the kernel sends it; any other kind of link is not a VRF.

import { describe, expect, it } from 'vitest';
import type { rt } from '../../src/kernel/netlink-package.js';
import { vrfLookupError, vrfTableFrom } from '../../src/kernel/vrf.js';

/** rtattr: u16 length (header included), u16 type, payload padded to 4 bytes. */
function rtattr(type: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16LE(4 + payload.length, 0);
  header.writeUInt16LE(type, 2);
  const pad = Buffer.alloc((4 - (payload.length % 4)) % 4);
  return Buffer.concat([header, payload, pad]);
}

const message = (linkinfo: Buffer | undefined) =>
  ({
    data: { index: 9 },
    attrs: { ifname: 'blue', ...(linkinfo ? { linkinfo } : {}) },
  }) as unknown as rt.LinkMessage;

describe('VRF table from IFLA_LINKINFO', () => {
  it('reads IFLA_VRF_TABLE (1) inside IFLA_INFO_DATA (2) of kind "vrf"', () => {
    const table = Buffer.alloc(4);
    table.writeUInt32LE(1234);
    const linkinfo = Buffer.concat([rtattr(1, Buffer.from('vrf\0')), rtattr(2, rtattr(1, table))]);
    // The exact bytes: kind attribute (8 bytes), then data (12 bytes) holding the table (8 bytes).
    expect(linkinfo.toString('hex')).toBe('08000100' + '76726600' + '0c000200' + '08000100' + 'd2040000');
    expect(vrfTableFrom(message(linkinfo))).toBe(1234);
  });

  it('is null for another kind, for no link info, and for a VRF without its table', () => {
    expect(vrfTableFrom(message(rtattr(1, Buffer.from('veth\0'))))).toBeNull();
    expect(vrfTableFrom(message(undefined))).toBeNull();
    expect(vrfTableFrom(message(rtattr(1, Buffer.from('vrf\0'))))).toBeNull();
  });

  it('words the two failures as keepalived does', () => {
    expect(vrfLookupError('blue', 'absent')).toBe('VRF blue not found for route');
    expect(vrfLookupError('eth0', 'not-vrf')).toBe('route specified VRF eth0 is not a VRF');
  });
});
