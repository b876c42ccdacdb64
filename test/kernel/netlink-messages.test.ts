// Decoding of rtnetlink notifications and dump replies into our shapes (pure: messages are
// built with the netlink package's own formatters, no socket).

import { AttrStream, rt } from 'netlink';
import { describe, expect, it } from 'vitest';
import { interfaceAddressFrom } from '../../src/kernel/addresses.js';
import { kernelEventFrom } from '../../src/kernel/netlink-events.js';
import { kernelRouteFrom } from '../../src/kernel/routes.js';
import { kernelRuleFrom } from '../../src/kernel/rules.js';
import { routeProtocolNumber, routeTypeNumber, scopeNumber } from '../../src/kernel/scopes.js';

function bytesOf(format: (stream: AttrStream) => void): Buffer {
  const stream = new AttrStream();
  format(stream);
  return Buffer.concat(stream.bufs);
}

const addressMessage = (attrs: rt.AddressAttrs, family = 2): Buffer =>
  bytesOf((s) =>
    rt.formatAddressMessage(
      { kind: 'address', data: { family, prefixlen: 24, index: 3, scope: 0 }, attrs },
      s,
    ),
  );

describe('rtnetlink message decoding', () => {
  it('turns RTM_NEWADDR / RTM_DELADDR into address events (IPv4 only)', () => {
    const data = addressMessage({
      local: Buffer.from([192, 0, 2, 254]),
      label: 'eth0:vip',
      flags: { secondary: true },
    });
    expect(kernelEventFrom({ type: rt.MessageType.DELADDR, flags: 0, seq: 0, port: 0, data })).toEqual({
      kind: 'address',
      removed: true,
      address: {
        ifindex: 3,
        address: '192.0.2.254',
        prefixLength: 24,
        scope: 0,
        secondary: true,
        label: 'eth0:vip',
      },
    });
    const ipv6 = addressMessage({ address: Buffer.alloc(16) }, 10);
    expect(
      kernelEventFrom({ type: rt.MessageType.NEWADDR, flags: 0, seq: 0, port: 0, data: ipv6 }),
    ).toBeUndefined();
    expect(
      kernelEventFrom({ type: rt.MessageType.NEWROUTE, flags: 0, seq: 0, port: 0, data }),
    ).toBeUndefined();
  });

  it('prefers IFA_LOCAL over IFA_ADDRESS (the peer on point-to-point links)', () => {
    const parsed = rt.parseAddressMessage(
      addressMessage({ local: Buffer.from([192, 0, 2, 1]), address: Buffer.from([192, 0, 2, 9]) }),
    );
    expect(interfaceAddressFrom(parsed)?.address).toBe('192.0.2.1');
  });

  it('turns RTM_NEWLINK into a link event with flags, MAC and operstate', () => {
    const data = bytesOf((s) =>
      rt.formatLinkMessage(
        {
          kind: 'link',
          data: { family: 0, index: 2, flags: { up: true, lowerUp: true } },
          attrs: { ifname: 'eth0', address: Buffer.from([2, 0, 0, 0, 0, 1]), operstate: 2 },
        },
        s,
      ),
    );
    expect(kernelEventFrom({ type: rt.MessageType.NEWLINK, flags: 0, seq: 0, port: 0, data })).toEqual({
      kind: 'link',
      removed: false,
      link: {
        ifindex: 2,
        name: 'eth0',
        mac: '02:00:00:00:00:01',
        adminUp: true,
        running: false,
        lowerUp: true,
        operState: 'down',
      },
    });
  });

  it('decodes routes and rules, mapping enum names back to numbers', () => {
    const route = kernelRouteFrom({
      kind: 'route',
      data: {
        family: 2,
        dstLen: 0,
        table: 254,
        protocol: 'STATIC',
        scope: 'UNIVERSE',
        type: 'UNICAST',
        flags: {},
      },
      attrs: { table: 254, gateway: Buffer.from([192, 0, 2, 2]), oif: 3, priority: 10 },
    });
    expect(route).toEqual({
      destination: '0.0.0.0',
      prefixLength: 0,
      gateway: '192.0.2.2',
      ifindex: 3,
      table: 254,
      metric: 10,
      scope: 0,
      protocol: 4,
      type: 1,
      onlink: false,
    });
    const rule = kernelRuleFrom({
      kind: 'rule',
      data: { family: 2, srcLen: 24, table: 100, action: 'toTbl' },
      attrs: { table: 100, priority: 1000, src: Buffer.from([198, 51, 100, 0]) },
    });
    expect(rule).toEqual({
      table: 100,
      action: 1,
      priority: 1000,
      from: { address: '198.51.100.0', prefixLength: 24 },
    });
  });

  it('maps configuration names to kernel numbers and rejects unknown ones', () => {
    expect([scopeNumber('link'), scopeNumber('host'), scopeNumber(200)]).toEqual([253, 254, 200]);
    expect([routeProtocolNumber('static'), routeProtocolNumber('keepalived')]).toEqual([4, 18]);
    expect(routeTypeNumber('blackhole')).toBe(6);
    expect(() => scopeNumber('galaxy' as 'link')).toThrow(RangeError);
    expect(() => routeTypeNumber(300)).toThrow(RangeError);
  });
});
