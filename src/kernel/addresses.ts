// IPv4 interface addresses over rtnetlink (RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR): the
// virtual addresses a MASTER owns (RFC 3768 §6.4.3 "add the virtual IP addresses"), and the
// listing the daemon uses at start-up to find VIPs a previous run left behind.

import { rt } from 'netlink';
import { ipv4FromBytes, ipv4ToBytes, isIpv4 } from '../packet/address.js';
import { CREATE_EXCLUSIVE, NetlinkError, type RouteNetlink } from './netlink-socket.js';
import { scopeNumber, type ScopeName } from './scopes.js';

const AF_INET = 2;

export interface AddressSpec {
  ifindex: number;
  address: string;
  prefixLength: number;
  /** Interface label (keepalived's `label`); the kernel shows it in `ip addr`. */
  label?: string;
  broadcast?: string;
  /** Defaults to global. */
  scope?: ScopeName | number;
  /** IFA_F_NOPREFIXROUTE: do not create the connected route for the prefix. */
  noPrefixRoute?: boolean;
}

export interface InterfaceAddress {
  ifindex: number;
  address: string;
  prefixLength: number;
  label?: string;
  broadcast?: string;
  scope: number;
  /** IFA_F_SECONDARY: another address of the same subnet was there first. */
  secondary: boolean;
}

export type AddOutcome = 'added' | 'exists';
export type RemoveOutcome = 'removed' | 'absent';

export interface KernelAddresses {
  /** Adds an address; 'exists' (not an error) if the interface already has it. */
  add(spec: AddressSpec): Promise<AddOutcome>;
  /** Removes an address; 'absent' (not an error) if the interface does not have it. */
  remove(spec: Pick<AddressSpec, 'ifindex' | 'address' | 'prefixLength'>): Promise<RemoveOutcome>;
  /** IPv4 addresses of one interface, or of all interfaces. */
  list(ifindex?: number): Promise<InterfaceAddress[]>;
}

function requireAddress(spec: Pick<AddressSpec, 'ifindex' | 'address' | 'prefixLength'>): void {
  if (!isIpv4(spec.address)) throw new RangeError(`not an IPv4 address: ${spec.address}`);
  if (!Number.isInteger(spec.prefixLength) || spec.prefixLength < 0 || spec.prefixLength > 32) {
    throw new RangeError(`IPv4 prefix length must be 0..32: ${spec.prefixLength}`);
  }
  if (!Number.isInteger(spec.ifindex) || spec.ifindex <= 0)
    throw new RangeError(`bad ifindex ${spec.ifindex}`);
}

/** Converts one RTM_NEWADDR/RTM_DELADDR message (IPv4 only) to our shape; null for other families. */
export function interfaceAddressFrom(message: rt.AddressMessage): InterfaceAddress | null {
  const { data, attrs } = message;
  if (data.family !== AF_INET) return null;
  // For broadcast interfaces IFA_LOCAL and IFA_ADDRESS are equal; on point-to-point links
  // IFA_ADDRESS is the peer, so prefer IFA_LOCAL.
  const bytes = attrs.local ?? attrs.address;
  if (!bytes || bytes.length !== 4) return null;
  const result: InterfaceAddress = {
    ifindex: data.index ?? 0,
    address: ipv4FromBytes(bytes),
    prefixLength: data.prefixlen ?? 0,
    scope: data.scope ?? 0,
    secondary: Boolean(attrs.flags?.secondary ?? data.flags?.secondary),
  };
  if (attrs.label) result.label = attrs.label;
  if (attrs.broadcast && attrs.broadcast.length === 4) result.broadcast = ipv4FromBytes(attrs.broadcast);
  return result;
}

export function createKernelAddresses(netlink: RouteNetlink): KernelAddresses {
  return {
    async add(spec) {
      requireAddress(spec);
      const local = ipv4ToBytes(spec.address);
      const attrs: rt.AddressAttrs = { local, address: local };
      if (spec.label) attrs.label = spec.label;
      if (spec.broadcast) attrs.broadcast = ipv4ToBytes(spec.broadcast);
      if (spec.noPrefixRoute) attrs.flags = { noprefixroute: true };
      const data: rt.Address = {
        family: AF_INET,
        prefixlen: spec.prefixLength,
        index: spec.ifindex,
        scope: scopeNumber(spec.scope ?? 'global'),
      };
      try {
        await netlink.request(`add address ${spec.address}/${spec.prefixLength}`, (socket, timeout) =>
          socket.newAddress(data, attrs, { flags: CREATE_EXCLUSIVE, timeout }),
        );
        return 'added';
      } catch (error) {
        if (error instanceof NetlinkError && error.code === 'EEXIST') return 'exists';
        throw error;
      }
    },

    async remove(spec) {
      requireAddress(spec);
      const local = ipv4ToBytes(spec.address);
      try {
        await netlink.request(`remove address ${spec.address}/${spec.prefixLength}`, (socket, timeout) =>
          socket.delAddress(
            { family: AF_INET, prefixlen: spec.prefixLength, index: spec.ifindex },
            { local },
            { timeout },
          ),
        );
        return 'removed';
      } catch (error) {
        // EADDRNOTAVAIL: no such address on the interface.
        if (error instanceof NetlinkError && error.code === 'EADDRNOTAVAIL') return 'absent';
        throw error;
      }
    },

    async list(ifindex) {
      const messages = await netlink.request('list addresses', (socket, timeout) =>
        socket.getAddresses({ family: AF_INET }, undefined, { timeout }),
      );
      return messages
        .map(interfaceAddressFrom)
        .filter((a): a is InterfaceAddress => a !== null && (ifindex === undefined || a.ifindex === ifindex));
    },
  };
}
