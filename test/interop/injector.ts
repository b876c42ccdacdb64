// A child that puts whole, hand-made IPv4 packets on the wire from inside a lab namespace:
// `ip netns exec NS node dist/test/interop/injector.js`, driven over JSON lines
// (test/lab/json-lines.ts). The interop tests use it to replay keepalived's captured adverts and
// deliberately broken ones (wrong TTL, auth, VRID, checksum) at a running daemon.
//
// The advert transport (src/kernel/transport.ts) always writes TTL 255 and a correct header, so it
// cannot send the TTL-64 case; an IPPROTO_RAW socket sends the caller's header as is. The kernel
// still fills in the IP header checksum and total length (raw(7)), which is what we want: the
// broken field must be the one under test, never the IP header itself.

import { IPPROTO_IP, IP_HDRINCL, IP_MULTICAST_IF, ipMreqn } from '../../src/kernel/socket-options.js';
import { VRRP_MULTICAST_GROUP4 } from '../../src/packet/vrrp.js';
import { emitEvent, serveJsonLines } from '../lab/json-lines-server.js';
import { loadRawSocket } from '../lab/raw-socket.js';

/** IPPROTO_RAW: a send-only raw socket that implies IP_HDRINCL (raw(7)). */
const IPPROTO_RAW = 255;

const rawSocket = loadRawSocket();
const socket = rawSocket.createSocket({ protocol: IPPROTO_RAW, addressFamily: rawSocket.AddressFamily.IPv4 });
// Implied by IPPROTO_RAW; set anyway so the intent does not depend on that rule.
socket.setOption(IPPROTO_IP, IP_HDRINCL, 1);
socket.on('error', (error: unknown) => emitEvent('socket-error', { message: String(error) }));

function sendOne(packet: Buffer, dest: string): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.send(packet, 0, packet.length, dest, (error, bytes) => (error ? reject(error) : resolve(bytes)));
  });
}

serveJsonLines(
  {
    /**
     * params: { ifindex }. Lab namespaces have no default route, so packets to 224.0.0.18 need
     * their egress interface named (ip_mreqn by ifindex, as the daemon's transport does).
     */
    multicastInterface: (params) => {
      if (typeof params.ifindex !== 'number') throw new Error('multicastInterface needs ifindex');
      const request = ipMreqn(VRRP_MULTICAST_GROUP4, params.ifindex);
      socket.setOption(IPPROTO_IP, IP_MULTICAST_IF, request, request.length);
      return null;
    },
    /** params: { hex: whole IPv4 packet, dest: next-hop address, count?: number } */
    send: async (params) => {
      const { hex, dest } = params;
      if (typeof hex !== 'string' || typeof dest !== 'string') throw new Error('send needs hex and dest');
      const packet = Buffer.from(hex, 'hex');
      const count = typeof params.count === 'number' ? params.count : 1;
      let bytes = 0;
      for (let i = 0; i < count; i++) bytes += await sendOne(packet, dest);
      return { sent: count, bytes };
    },
  },
  () => {
    socket.close();
    process.exit(0);
  },
);
emitEvent('ready', { pid: process.pid });
