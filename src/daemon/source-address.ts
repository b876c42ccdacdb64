// Which address an instance sends its adverts from when none is configured (unicast_src_ip /
// mcast_src_ip): keepalived's choice for IPv4 — the interface's first (primary) address that is not
// one of our VIPs — and RFC 5798 §5.1.2.1's for IPv6 — the interface's link-local address, once
// duplicate address detection let it be used. Pure: the caller lists the addresses.

import type { InterfaceAddress } from '../kernel/addresses.js';
import { isLinkLocalIpv6 } from '../packet/address6.js';
import { addressFamilyOf } from '../packet/ip-address.js';
import type { AddressFamily } from '../packet/types.js';

/** An address that can be a source now: not tentative (DAD running) nor a DAD failure. */
export function usableSource(address: InterfaceAddress, family: AddressFamily): boolean {
  if (addressFamilyOf(address.address) !== family) return false;
  if (family === 'ipv4') return true;
  return isLinkLocalIpv6(address.address) && !address.tentative && !address.dadFailed;
}

export function advertSourceOf(
  family: AddressFamily,
  ifindex: number | undefined,
  addresses: readonly InterfaceAddress[],
  ours: ReadonlySet<string>,
): string | null {
  if (ifindex === undefined) return null;
  const candidates = addresses.filter(
    (a) => a.ifindex === ifindex && !ours.has(a.address) && usableSource(a, family),
  );
  return (candidates.find((a) => !a.secondary) ?? candidates[0])?.address ?? null;
}

/** keepalived also leaves an instance with no usable source address in FAULT. */
export const NO_ADDRESS_FAULT = 'no_source_address';

/** Placeholder primary address while an instance has none (it is in FAULT meanwhile). */
export const NO_ADDRESS: Readonly<Record<AddressFamily, string>> = { ipv4: '0.0.0.0', ipv6: '::' };

/** Whether an instance's primary address is the placeholder: it has no source address yet. */
export function hasNoSource(primaryAddress: string, family: AddressFamily): boolean {
  return primaryAddress === NO_ADDRESS[family];
}
