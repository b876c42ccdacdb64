// The parts of the `netlink` package vrrpd uses, imported file by file. The package's index also
// loads its nl80211, generic-netlink and WireGuard definitions (~260 KB of generated code that
// vrrpd never calls): importing it whole cost the daemon ~11 ms of start-up CPU (issue 15, start to
// first advert). Every module of src/ goes through here, never through 'netlink' itself.
//
// The package's rtnetlink layer (rt/rt.js and its generated structs, every link kind's attributes
// among them) is loaded on first use: only routes, rules, VMACs, ipvlans and the uplinks' route
// watch need it. Links and addresses, which every configuration uses, have their own small codec
// (rtnl-codec.ts); loading the layer costs ~1.5 MiB of resident memory and ~15 ms of start-up.

import { createRequire } from 'node:module';

export { createNetlink, type NetlinkSocket } from 'netlink/dist/netlink.js';
export { RawNetlinkSocket } from 'netlink/dist/raw.js';
export { FlagsGet, FlagsNew, Protocol } from 'netlink/dist/constants.js';
export { AttrStream, type NetlinkMessage } from 'netlink/dist/structs.js';
export type { RtNetlinkSocket } from 'netlink/dist/rt/rt.js';
export type * as rt from 'netlink/dist/rt/structs.js';
export type * as ifla from 'netlink/dist/rt/ifla.js';

type RtModule = typeof import('netlink/dist/rt/rt.js');
type RtStructs = typeof import('netlink/dist/rt/structs.js');

const requirePackage = createRequire(import.meta.url);
let rtModule: RtModule | undefined;
let rtStructsModule: RtStructs | undefined;

/** The package's rtnetlink socket layer (RtNetlinkSocket), loaded on first use. */
export function rtNetlink(): RtModule {
  rtModule ??= requirePackage('netlink/dist/rt/rt.js') as RtModule;
  return rtModule;
}

/** The package's rtnetlink message definitions (formatters, parsers, enums), loaded on first use. */
export function rtStructs(): RtStructs {
  rtStructsModule ??= requirePackage('netlink/dist/rt/structs.js') as RtStructs;
  return rtStructsModule;
}
