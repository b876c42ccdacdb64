// What keepalived's use_vmac creates, as pure values: the virtual MAC (RFC 3768 §7.3 /
// RFC 5798 §7.3: 00-00-5E-00-01-{VRID} for IPv4, 00-00-5E-00-02-{VRID} for IPv6, or the one
// configured), and the interface name (vrrp.c create_vmac_name: PREFIX.VRID, the prefix cut so
// the name fits IFNAMSIZ, then PREFIX1.VRID, PREFIX2.VRID… when taken; IPv6 tries PREFIX6.VRID
// second). The kernel work is in vmac.ts; docs/design/ka-features.md §3 has the whole behaviour.

export type VmacFamily = 'ipv4' | 'ipv6';

/** Linux interface names are at most 15 bytes (IFNAMSIZ 16 with the NUL). */
export const MAX_INTERFACE_NAME_LENGTH = 15;
/** keepalived's default `vmac_prefix`. */
export const DEFAULT_VMAC_PREFIX = 'vrrp';

function hexOctet(value: number): string {
  return value.toString(16).padStart(2, '0');
}

function requireVrid(vrid: number): void {
  if (!Number.isInteger(vrid) || vrid < 1 || vrid > 255)
    throw new RangeError(`VRID ${vrid} is outside 1..255`);
}

/**
 * The VMAC's MAC as "00:00:5e:00:01:33". `configured` is use_vmac's MAC argument: six octets,
 * or five (keepalived then appends the VRID). Throws RangeError on a malformed one (the config
 * layer has already refused those with keepalived's messages).
 */
export function vmacAddress(vrid: number, family: VmacFamily, configured?: string): string {
  requireVrid(vrid);
  if (configured === undefined) {
    return ['00', '00', '5e', '00', family === 'ipv6' ? '02' : '01', hexOctet(vrid)].join(':');
  }
  const octets = configured.replace(/:$/, '').split(':');
  if (octets.length === 5) octets.push(hexOctet(vrid));
  if (octets.length !== 6 || !octets.every((o) => /^[0-9a-f]{1,2}$/i.test(o))) {
    throw new RangeError(`not a 5- or 6-octet MAC address: ${configured}`);
  }
  return octets.map((o) => o.toLowerCase().padStart(2, '0')).join(':');
}

/** A Linux-valid interface name (dev_valid_name): 1–15 bytes, no '/', ':' or blanks, not . or .. */
export function isValidInterfaceName(name: string): boolean {
  return (
    name.length > 0 &&
    Buffer.byteLength(name) <= MAX_INTERFACE_NAME_LENGTH &&
    name !== '.' &&
    name !== '..' &&
    !/[/:\s]/.test(name)
  );
}

/** `PREFIX<number>.VRID`, the prefix shortened so the whole name is at most 15 characters. */
function vmacName(prefix: string, vrid: number, number: string): string {
  const suffix = `${number}.${vrid}`;
  const room = MAX_INTERFACE_NAME_LENGTH - suffix.length;
  return `${prefix.slice(0, Math.max(0, room))}${suffix}`;
}

/**
 * The names keepalived tries, in order: PREFIX.VRID, then PREFIX1.VRID, PREFIX2.VRID… (IPv4);
 * IPv6 tries PREFIX6.VRID second and skips 6 afterwards. Infinite; take what you need.
 */
export function* vmacNameCandidates(prefix: string, vrid: number, family: VmacFamily): Generator<string> {
  requireVrid(vrid);
  yield vmacName(prefix, vrid, '');
  if (family === 'ipv6') yield vmacName(prefix, vrid, '6');
  for (let n = 1; ; n++) {
    if (family === 'ipv6' && n === 6) continue;
    yield vmacName(prefix, vrid, String(n));
  }
}

/**
 * The first candidate name not taken (by another instance's VMAC or an existing interface).
 * Bounded: gives up (null) after `maxTries` names.
 */
export function chooseVmacName(
  prefix: string,
  vrid: number,
  family: VmacFamily,
  isTaken: (name: string) => boolean,
  maxTries = 100,
): string | null {
  let tries = 0;
  for (const name of vmacNameCandidates(prefix, vrid, family)) {
    if (!isTaken(name)) return name;
    if (++tries >= maxTries) return null;
  }
  return null;
}
