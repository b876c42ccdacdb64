// Ethernet MAC address text <-> bytes, for ARP frames and for showing which router holds a VIP.
// Like address.ts: parsing configured text returns null; the *ToBytes form throws RangeError.

export const MAC_LENGTH = 6;
export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';
export const ZERO_MAC = '00:00:00:00:00:00';

// Six colon-separated pairs of hex digits, as `ip link` prints them (either case accepted).
const COLON_MAC = /^([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2})$/i;

export function parseMac(text: string): number[] | null {
  const m = COLON_MAC.exec(text);
  return m ? m.slice(1, 7).map((pair) => parseInt(pair, 16)) : null;
}

export function macToBytes(text: string): Buffer {
  const octets = parseMac(text);
  if (!octets) throw new RangeError(`not a MAC address: ${text}`);
  return Buffer.from(octets);
}

/** Lower-case colon form of the six bytes at `offset`. */
export function macFromBytes(buf: Uint8Array, offset = 0): string {
  let text = '';
  for (let i = 0; i < MAC_LENGTH; i++) {
    if (i > 0) text += ':';
    text += buf[offset + i]!.toString(16).padStart(2, '0');
  }
  return text;
}
