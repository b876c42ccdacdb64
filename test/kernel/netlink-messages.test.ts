// Decoding of rtnetlink notifications and dump replies into our shapes (pure: messages are
// built with the netlink package's own formatters, no socket).

import * as rt from 'netlink/dist/rt/structs.js';
import { AttrStream } from '../../src/kernel/netlink-package.js';
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
  it('turns RTM_NEWADDR / RTM_DELADDR into address events', () => {
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
    // IPv6 ones decode too (they arrive only when watchKernelEvents subscribed to them).
    const ipv6 = addressMessage({ address: Buffer.alloc(16) }, 10);
    expect(
      kernelEventFrom({ type: rt.MessageType.NEWADDR, flags: 0, seq: 0, port: 0, data: ipv6 }),
    ).toMatchObject({ kind: 'address', address: { address: '::' } });
    const other = addressMessage({ address: Buffer.alloc(4) }, 7);
    expect(
      kernelEventFrom({ type: rt.MessageType.NEWADDR, flags: 0, seq: 0, port: 0, data: other }),
    ).toBeUndefined();
    expect(
      kernelEventFrom({ type: rt.MessageType.NEWROUTE, flags: 0, seq: 0, port: 0, data }),
    ).toBeUndefined();
  });

  it('decodes IPv6 addresses with their DAD state from IFA_FLAGS (32-bit) or ifa_flags', () => {
    const ll = Buffer.from('fe800000000000000000000000000051', 'hex');
    const tentative = rt.parseAddressMessage(
      addressMessage({ address: ll, flags: { tentative: true, permanent: true } }, 10),
    );
    expect(interfaceAddressFrom(tentative)).toEqual({
      ifindex: 3,
      address: 'fe80::51',
      prefixLength: 24,
      scope: 0,
      secondary: false,
      tentative: true,
      dadFailed: false,
      noDad: false,
      deprecated: false,
    });
    const failed = rt.parseAddressMessage(
      addressMessage({ address: ll, flags: { dadfailed: true, tentative: true } }, 10),
    );
    expect(interfaceAddressFrom(failed)).toMatchObject({ tentative: true, dadFailed: true });
    const viaHeader = rt.parseAddressMessage(
      bytesOf((st) =>
        rt.formatAddressMessage(
          {
            kind: 'address',
            data: { family: 10, prefixlen: 64, index: 3, scope: 0, flags: { nodad: true } },
            attrs: { address: Buffer.from('20010db8000000000000000000000254', 'hex') },
          },
          st,
        ),
      ),
    );
    expect(interfaceAddressFrom(viaHeader)).toMatchObject({
      address: '2001:db8::254',
      noDad: true,
      tentative: false,
    });
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

  it('decodes IPv6 routes and rules', () => {
    const route = kernelRouteFrom({
      kind: 'route',
      data: {
        family: 10,
        dstLen: 0,
        table: 254,
        protocol: 'BOOT',
        scope: 'UNIVERSE',
        type: 'UNICAST',
        flags: {},
      },
      attrs: {
        table: 254,
        gateway: Buffer.from('fe800000000000000000000000000001', 'hex'),
        oif: 3,
        priority: 1024,
      },
    });
    expect(route).toMatchObject({ destination: '::', prefixLength: 0, gateway: 'fe80::1', metric: 1024 });
    const prefixRoute = kernelRouteFrom({
      kind: 'route',
      data: { family: 10, dstLen: 64, table: 254 },
      attrs: { dst: Buffer.from('20010db8000100000000000000000000', 'hex') },
    });
    expect(prefixRoute).toMatchObject({ destination: '2001:db8:1::', prefixLength: 64 });
    expect(prefixRoute?.gateway).toBeUndefined();
    const rule = kernelRuleFrom({
      kind: 'rule',
      data: { family: 10, srcLen: 64, table: 100, action: 'toTbl' },
      attrs: { table: 100, priority: 1000, src: Buffer.from('20010db8000000000000000000000000', 'hex') },
    });
    expect(rule).toEqual({
      table: 100,
      action: 1,
      priority: 1000,
      from: { address: '2001:db8::', prefixLength: 64 },
      family: 'ipv6',
    });
    expect(kernelRouteFrom({ kind: 'route', data: { family: 7 }, attrs: {} })).toBeNull();
  });

  it('maps configuration names to kernel numbers and rejects unknown ones', () => {
    expect([scopeNumber('link'), scopeNumber('host'), scopeNumber(200)]).toEqual([253, 254, 200]);
    expect([routeProtocolNumber('static'), routeProtocolNumber('keepalived')]).toEqual([4, 18]);
    expect(routeTypeNumber('blackhole')).toBe(6);
    expect(() => scopeNumber('galaxy' as 'link')).toThrow(RangeError);
    expect(() => routeTypeNumber(300)).toThrow(RangeError);
  });
});
