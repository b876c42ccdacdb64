// The parts of the `netlink` package vrrpd uses, imported file by file. The package's index also
// loads its nl80211, generic-netlink and WireGuard definitions (~260 KB of generated code that
// vrrpd never calls): importing it whole cost the daemon ~11 ms of start-up CPU (issue 15, start to
// first advert). Every module of src/ goes through here, never through 'netlink' itself.

export { createRtNetlink, type RtNetlinkSocket } from 'netlink/dist/rt/rt.js';
export { createNetlink } from 'netlink/dist/netlink.js';
export { RawNetlinkSocket } from 'netlink/dist/raw.js';
export { FlagsNew, Protocol } from 'netlink/dist/constants.js';
export { AttrStream, type NetlinkMessage } from 'netlink/dist/structs.js';
export * as rt from 'netlink/dist/rt/structs.js';
export type * as ifla from 'netlink/dist/rt/ifla.js';
