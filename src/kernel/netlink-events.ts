// Kernel notifications the daemon reacts to: link changes (RTM_NEWLINK / RTM_DELLINK on the
// LINK group: an interface going down moves its instances to FAULT) and address changes
// (RTM_NEWADDR / RTM_DELADDR: someone deleted our VIP while we are MASTER). IPv6 address
// changes on request: besides additions and removals they report DAD's outcome, an RTM_NEWADDR
// whose flags lose `tentative` (the address, e.g. a fresh link-local, became usable) or gain
// `dadfailed` (another node on the link has it).
//
// Notifications are datagrams the kernel drops when our socket buffer is full; recvmsg then
// fails with ENOBUFS. That is reported as an 'overrun' event: the consumer must re-list links
// and addresses, because some changes were lost.

import { createNetlink, Protocol, type NetlinkMessage } from './netlink-package.js';
import {
  parseAddressMessage,
  parseLinkMessage,
  RTM_DELADDR,
  RTM_DELLINK,
  RTM_NEWADDR,
  RTM_NEWLINK,
  RTNLGRP_IPV4_IFADDR,
  RTNLGRP_IPV6_IFADDR,
  RTNLGRP_LINK,
} from './rtnl-codec.js';
import { interfaceAddressFrom, type InterfaceAddress } from './addresses.js';
import { linkInfoFrom, type LinkInfo } from './links.js';
import { asError } from '../runtime/errors.js';

export type KernelEvent =
  | { kind: 'link'; link: LinkInfo; removed: boolean }
  | { kind: 'address'; address: InterfaceAddress; removed: boolean }
  /** Notifications were lost (ENOBUFS): re-list links and addresses to resynchronise. */
  | { kind: 'overrun' }
  /** Any other receive failure, or an exception thrown by an event callback. */
  | { kind: 'error'; error: Error };

export interface KernelEventSource {
  onEvent(callback: (event: KernelEvent) => void): void;
  close(): void;
}

/** Room for bursts (many VIPs added at once); the kernel caps it at net.core.rmem_max. */
const RECEIVE_BUFFER_BYTES = 1 << 20;

/** Decodes one notification; undefined for message types we do not subscribe to. */
export function kernelEventFrom(message: NetlinkMessage): KernelEvent | undefined {
  switch (message.type) {
    case RTM_NEWLINK:
    case RTM_DELLINK:
      return {
        kind: 'link',
        link: linkInfoFrom(parseLinkMessage(message.data)),
        removed: message.type === RTM_DELLINK,
      };
    case RTM_NEWADDR:
    case RTM_DELADDR: {
      const address = interfaceAddressFrom(parseAddressMessage(message.data));
      if (!address) return undefined;
      return { kind: 'address', address, removed: message.type === RTM_DELADDR };
    }
    default:
      return undefined;
  }
}

export interface KernelEventOptions {
  /** Also IPv6 address notifications (RTNLGRP_IPV6_IFADDR). Default false: links and IPv4. */
  ipv6Addresses?: boolean;
}

/** Subscribes to link and address notifications in the current network namespace. */
export function watchKernelEvents(options: KernelEventOptions = {}): KernelEventSource {
  const socket = createNetlink(Protocol.ROUTE, {
    recvBufferSize: RECEIVE_BUFFER_BYTES,
    sendBufferSize: 64 * 1024,
  });
  const callbacks: Array<(event: KernelEvent) => void> = [];
  let closed = false;

  const deliver = (event: KernelEvent): void => {
    for (const callback of callbacks) {
      try {
        callback(event);
      } catch (error) {
        // Never let a consumer's exception escape into the netlink binding's callback.
        if (event.kind !== 'error') deliver({ kind: 'error', error: asError(error) });
      }
    }
  };

  socket.on('message', (messages) => {
    for (const message of messages) {
      let event: KernelEvent | undefined;
      try {
        event = kernelEventFrom(message);
      } catch (error) {
        event = { kind: 'error', error: asError(error) };
      }
      if (event) deliver(event);
    }
  });
  socket.on('error', (error) => {
    if ((error as { code?: string }).code === 'ENOBUFS') deliver({ kind: 'overrun' });
    else deliver({ kind: 'error', error });
  });
  socket.addMembership(RTNLGRP_LINK);
  socket.addMembership(RTNLGRP_IPV4_IFADDR);
  if (options.ipv6Addresses) socket.addMembership(RTNLGRP_IPV6_IFADDR);

  return {
    onEvent(callback) {
      callbacks.push(callback);
    },
    close() {
      if (closed) return;
      closed = true;
      socket.close();
    },
  };
}
