// Loads the golden packets captured from keepalived (test/fixtures/keepalived/, see its README).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURE_DIR = new URL('../fixtures/keepalived/', import.meta.url);

/** IPv4 packets (IP header + VRRP). */
export type Ipv4AdvertFixture =
  | 'v2-unicast-pass'
  | 'v2-priority0-shutdown'
  | 'v2-multicast-noauth'
  | 'v3-multicast'
  | 'v3-unicast'
  | 'v2-ah-multicast'
  | 'v2-ah-multicast-second'
  | 'v2-ah-unicast';

/** IPv6 packets (40-byte header + VRRP). */
export type Ipv6AdvertFixture =
  | 'v3-ipv6-multicast'
  | 'v3-ipv6-priority0-shutdown'
  | 'v3-ipv6-multicast-fast'
  | 'v3-ipv6-unicast'
  | 'v3-ipv6-unicast-linklocal'
  | 'v2-ipv6-multicast';

/** Ethernet frames: the gratuitous ARP and the unsolicited Neighbor Advertisements. */
export type FrameFixture = 'garp' | 'ipv6-na' | 'ipv6-na-router';

export type KeepalivedFixture = Ipv4AdvertFixture | Ipv6AdvertFixture | FrameFixture;

/** The fixture's bytes: `#` lines are comments, whitespace is ignored, the rest must be hex. */
export function loadFixture(name: KeepalivedFixture): Buffer {
  const path = fileURLToPath(new URL(`${name}.hex`, FIXTURE_DIR));
  const hex = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('')
    .replace(/\s+/g, '');
  if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) throw new Error(`${path}: not an even run of hex digits`);
  return Buffer.from(hex, 'hex');
}

/** The comment header, so tests can check a fixture says where it came from. */
export function fixtureComments(name: KeepalivedFixture): string[] {
  const path = fileURLToPath(new URL(`${name}.hex`, FIXTURE_DIR));
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('#'));
}
