// Route notifications (RTM_NEWROUTE / RTM_DELROUTE on the IPv4 and IPv6 route groups), for the
// uplink module: someone deleting or rewriting the default route it owns (`ip route del default`,
// a DHCP or PPP client, ifupdown) must be noticed and repaired at once, not at the next switch.
// Link notifications come too: when a link goes down the kernel drops its IPv4 routes without a
// RTM_DELROUTE, so a link change is the only sign that a route may have gone. Own socket, as
// netlink-events.ts explains: a socket reading multipart dump replies must not also receive
// notifications.

import { createNetlink, Protocol, rtStructs, type NetlinkMessage } from './netlink-package.js';
import { parseLinkMessage, RTM_DELLINK, RTM_NEWLINK, RTNLGRP_LINK } from './rtnl-codec.js';
import { asError } from '../runtime/errors.js';
import { kernelRouteFrom, type KernelRoute } from './routes.js';

export type RouteEvent =
  | { kind: 'route'; route: KernelRoute; removed: boolean }
  /** A link changed (up, down, added, removed): routes through it may have gone with it. */
  | { kind: 'link'; ifindex: number }
  /** Notifications were lost (ENOBUFS): re-read the routes you care about. */
  | { kind: 'overrun' }
  | { kind: 'error'; error: Error };

export interface RouteWatch {
  onEvent(callback: (event: RouteEvent) => void): void;
  close(): void;
}

/** Decodes one notification; undefined for anything but a route of a family we read. */
export function routeEventFrom(message: NetlinkMessage): RouteEvent | undefined {
  if (message.type === RTM_NEWLINK || message.type === RTM_DELLINK) {
    return { kind: 'link', ifindex: parseLinkMessage(message.data).data.index ?? 0 };
  }
  if (message.type !== rtStructs().MessageType.NEWROUTE && message.type !== rtStructs().MessageType.DELROUTE)
    return undefined;
  const route = kernelRouteFrom(rtStructs().parseRouteMessage(message.data));
  if (!route) return undefined;
  return { kind: 'route', route, removed: message.type === rtStructs().MessageType.DELROUTE };
}

/** Subscribes to IPv4 and IPv6 route and to link notifications in the current network namespace. */
export function watchRoutes(): RouteWatch {
  const socket = createNetlink(Protocol.ROUTE, { recvBufferSize: 1 << 18, sendBufferSize: 4096 });
  const callbacks: Array<(event: RouteEvent) => void> = [];
  let closed = false;
  const deliver = (event: RouteEvent): void => {
    for (const callback of callbacks) {
      try {
        callback(event);
      } catch (error) {
        if (event.kind !== 'error') deliver({ kind: 'error', error: asError(error) });
      }
    }
  };
  socket.on('message', (messages) => {
    for (const message of messages) {
      let event: RouteEvent | undefined;
      try {
        event = routeEventFrom(message);
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
  socket.addMembership(rtStructs().MulticastGroups.IPV4_ROUTE);
  socket.addMembership(rtStructs().MulticastGroups.IPV6_ROUTE);
  socket.addMembership(RTNLGRP_LINK);
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
