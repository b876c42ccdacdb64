// Our link/address codec against the `netlink` package's rtnetlink definitions, which it replaces
// on the daemon's start-up path (issue 15): whatever one side writes, the other reads the same.

import fc from 'fast-check';
import { AttrStream } from 'netlink/dist/structs.js';
import * as rt from 'netlink/dist/rt/structs.js';
import { describe, expect, it } from 'vitest';
import {
  formatAddressMessage,
  linkRequest,
  parseAddressMessage,
  parseLinkMessage,
  type AddressFlags,
} from '../../src/kernel/rtnl-codec.js';

function bytesOf(format: (stream: AttrStream) => void): Buffer {
  const stream = new AttrStream();
  format(stream);
  return Buffer.concat(stream.bufs);
}

const FLAG_NAMES = [
  'secondary',
  'nodad',
  'optimistic',
  'dadfailed',
  'homeaddress',
  'deprecated',
  'tentative',
  'permanent',
  'managetempaddr',
  'noprefixroute',
  'mcautojoin',
  'stablePrivacy',
] as const;

/** The package writes flags as `true` keys; ours as booleans. Compare the set names. */
const setNames = (flags: AddressFlags | rt.AddressFlags | undefined): string[] =>
  Object.entries(flags ?? {})
    .filter(([name, value]) => value === true && name !== '__unknown')
    .map(([name]) => name)
    .sort();

const flagsArbitrary = fc
  .subarray([...FLAG_NAMES])
  .map((names) => Object.fromEntries(names.map((n) => [n, true])));

const addressArbitrary = fc.record({
  family: fc.constantFrom(2, 10),
  prefixlen: fc.integer({ min: 0, max: 128 }),
  scope: fc.constantFrom(0, 200, 253, 254),
  index: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  local: fc.option(fc.uint8Array({ minLength: 4, maxLength: 16 }), { nil: undefined }),
  address: fc.option(fc.uint8Array({ minLength: 4, maxLength: 16 }), { nil: undefined }),
  label: fc.option(fc.stringMatching(/^[a-z0-9:]{1,15}$/), { nil: undefined }),
  broadcast: fc.option(fc.uint8Array({ minLength: 4, maxLength: 4 }), { nil: undefined }),
  flags: fc.option(flagsArbitrary, { nil: undefined }),
  prefered: fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: undefined }),
});

describe('rtnl-codec: addresses', () => {
  it('the package reads what formatAddressMessage writes', () => {
    fc.assert(
      fc.property(addressArbitrary, (a) => {
        const bytes = formatAddressMessage({
          data: { family: a.family, prefixlen: a.prefixlen, scope: a.scope, index: a.index },
          attrs: {
            ...(a.local && { local: Buffer.from(a.local) }),
            ...(a.address && { address: Buffer.from(a.address) }),
            ...(a.label !== undefined && { label: a.label }),
            ...(a.broadcast && { broadcast: Buffer.from(a.broadcast) }),
            ...(a.flags && { flags: a.flags }),
            ...(a.prefered !== undefined && { cacheInfo: { ifaPrefered: a.prefered, ifaValid: 0xffffffff } }),
          },
        });
        const parsed = rt.parseAddressMessage(bytes);
        expect(parsed.data.family).toBe(a.family);
        expect(parsed.data.prefixlen).toBe(a.prefixlen);
        expect(parsed.data.scope).toBe(a.scope);
        expect(parsed.data.index).toBe(a.index);
        expect(parsed.attrs.local).toEqual(a.local && Buffer.from(a.local));
        expect(parsed.attrs.address).toEqual(a.address && Buffer.from(a.address));
        expect(parsed.attrs.label).toBe(a.label);
        expect(parsed.attrs.broadcast).toEqual(a.broadcast && Buffer.from(a.broadcast));
        expect(setNames(parsed.attrs.flags)).toEqual(setNames(a.flags));
        expect(parsed.attrs.cacheInfo?.ifaPrefered).toBe(a.prefered);
      }),
      { numRuns: 500 },
    );
  });

  it('parseAddressMessage reads what the package writes', () => {
    fc.assert(
      fc.property(addressArbitrary, fc.option(flagsArbitrary, { nil: undefined }), (a, headerFlags) => {
        const bytes = bytesOf((s) =>
          rt.formatAddressMessage(
            {
              kind: 'address',
              data: {
                family: a.family,
                prefixlen: a.prefixlen,
                scope: a.scope,
                index: a.index,
                // The 8-bit ifa_flags field holds only the low eight flags.
                ...(headerFlags && {
                  flags: Object.fromEntries(
                    Object.keys(headerFlags)
                      .filter((n) => FLAG_NAMES.indexOf(n as (typeof FLAG_NAMES)[number]) < 8)
                      .map((n) => [n, true]),
                  ),
                }),
              },
              attrs: {
                ...(a.local && { local: Buffer.from(a.local) }),
                ...(a.address && { address: Buffer.from(a.address) }),
                ...(a.label !== undefined && { label: a.label }),
                ...(a.broadcast && { broadcast: Buffer.from(a.broadcast) }),
                ...(a.flags && { flags: a.flags }),
              },
            },
            s,
          ),
        );
        const ours = parseAddressMessage(bytes);
        const theirs = rt.parseAddressMessage(bytes);
        expect(ours.data.family).toBe(theirs.data.family);
        expect(ours.data.prefixlen).toBe(theirs.data.prefixlen);
        expect(ours.data.scope).toBe(theirs.data.scope);
        expect(ours.data.index).toBe(theirs.data.index);
        expect(setNames(ours.data.flags)).toEqual(setNames(theirs.data.flags));
        expect(ours.attrs.local).toEqual(theirs.attrs.local);
        expect(ours.attrs.address).toEqual(theirs.attrs.address);
        expect(ours.attrs.label).toBe(theirs.attrs.label);
        expect(ours.attrs.broadcast).toEqual(theirs.attrs.broadcast);
        expect(setNames(ours.attrs.flags)).toEqual(setNames(theirs.attrs.flags));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on short or malformed payloads', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        parseAddressMessage(Buffer.from(bytes));
        parseLinkMessage(Buffer.from(bytes));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('rtnl-codec: links', () => {
  it('parseLinkMessage reads the fields vrrpd uses as the package does', () => {
    fc.assert(
      fc.property(
        fc.record({
          index: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
          up: fc.boolean(),
          running: fc.boolean(),
          lowerUp: fc.boolean(),
          ifname: fc.option(fc.stringMatching(/^[a-z0-9.@-]{1,15}$/), { nil: undefined }),
          address: fc.option(fc.uint8Array({ minLength: 6, maxLength: 6 }), { nil: undefined }),
          operstate: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
          linkinfo: fc.option(fc.uint8Array({ minLength: 4, maxLength: 40 }), { nil: undefined }),
        }),
        (l) => {
          const bytes = bytesOf((s) =>
            rt.formatLinkMessage(
              {
                kind: 'link',
                data: {
                  index: l.index,
                  flags: {
                    ...(l.up && { up: true }),
                    ...(l.running && { running: true }),
                    ...(l.lowerUp && { lowerUp: true }),
                  },
                },
                attrs: {
                  ...(l.ifname !== undefined && { ifname: l.ifname }),
                  ...(l.address && { address: Buffer.from(l.address) }),
                  ...(l.operstate !== undefined && { operstate: l.operstate }),
                  ...(l.linkinfo && { linkinfo: Buffer.from(l.linkinfo) }),
                },
              },
              s,
            ),
          );
          const ours = parseLinkMessage(bytes);
          const theirs = rt.parseLinkMessage(bytes);
          expect(ours.data.index).toBe(theirs.data.index);
          expect(ours.data.flags?.up).toBe(Boolean(theirs.data.flags?.up));
          expect(ours.data.flags?.running).toBe(Boolean(theirs.data.flags?.running));
          expect(ours.data.flags?.lowerUp).toBe(Boolean(theirs.data.flags?.lowerUp));
          expect(ours.attrs.ifname).toBe(theirs.attrs.ifname);
          expect(ours.attrs.address).toEqual(theirs.attrs.address);
          expect(ours.attrs.operstate).toBe(theirs.attrs.operstate);
          expect(ours.attrs.linkinfo).toEqual(theirs.attrs.linkinfo);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('asks for every link, or for one by name (IFLA_IFNAME)', () => {
    expect(linkRequest()).toEqual(Buffer.alloc(16));
    const byName = linkRequest('eth0');
    expect(rt.parseLinkMessage(byName).attrs.ifname).toBe('eth0');
    expect(rt.parseLinkMessage(byName).data.index).toBe(0);
  });
});
