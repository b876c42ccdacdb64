// The ipvlan pieces without a kernel (this machine's has no ipvlan driver, so these bytes are
// what the real-kernel test cannot check here): the IFLA_LINKINFO keepalived's use_ipvlan sends
// (kind "ipvlan", IFLA_IPVLAN_MODE L2 and IFLA_IPVLAN_FLAGS as u16, if_link.h), read back, and the
// match for adopting one a previous run left.

import { describe, expect, it } from 'vitest';
import type { rt } from '../../src/kernel/netlink-package.js';
import {
  attribute,
  parseAttributes,
  readCString,
  readU16,
  u32,
} from '../../src/kernel/netlink-attributes.js';
import { findAdoptableIpvlan, ipvlanFrom, ipvlanLinkInfo, type IpvlanLink } from '../../src/kernel/ipvlan.js';

describe('ipvlan link attributes', () => {
  it('encodes kind ipvlan, mode L2 (0) and the kind flag (bridge 0, private 1, vepa 2) as u16', () => {
    for (const [kind, flags] of [
      ['bridge', 0],
      ['private', 1],
      ['vepa', 2],
    ] as const) {
      const info = parseAttributes(ipvlanLinkInfo(kind));
      expect(readCString(info.get(1)!)).toBe('ipvlan');
      const data = parseAttributes(info.get(2)!);
      expect(data.get(1)).toEqual(Buffer.from([0, 0]));
      expect(readU16(data.get(1)!)).toBe(0);
      expect(data.get(2)?.length).toBe(2);
      expect(readU16(data.get(2)!)).toBe(flags);
    }
  });

  it('reads a link message back, and adopts only an L2 ipvlan of the same base, kind and name', () => {
    const message = {
      data: { index: 7, flags: { up: true } },
      attrs: { ifname: 'vrrp.51', link: u32(3), linkinfo: ipvlanLinkInfo('private') },
    } as unknown as rt.LinkMessage;
    const link = ipvlanFrom(message);
    expect(link).toEqual({ ifindex: 7, name: 'vrrp.51', mode: 0, kind: 'private', baseIfindex: 3, up: true });
    const macvlan = {
      ...message,
      attrs: { ...message.attrs, linkinfo: attribute(1, Buffer.from('macvlan\0')) },
    };
    expect(ipvlanFrom(macvlan as rt.LinkMessage)).toBeNull();
    const want = { baseIfindex: 3, kind: 'private' as const, name: null };
    expect(findAdoptableIpvlan([link!], want)).toBe(link);
    expect(findAdoptableIpvlan([link!], { ...want, name: 'vrrp.51' })).toBe(link);
    expect(findAdoptableIpvlan([link!], { ...want, name: 'other' })).toBeUndefined();
    expect(findAdoptableIpvlan([link!], { ...want, baseIfindex: 4 })).toBeUndefined();
    expect(findAdoptableIpvlan([link!], { ...want, kind: 'bridge' })).toBeUndefined();
    const l3: IpvlanLink = { ...link!, mode: 1 };
    expect(findAdoptableIpvlan([l3], want)).toBeUndefined();
  });
});
