// Which probe socket a gateway gets: ICMP echo (the default), TCP connect or DNS query, every one
// marked with the gateway's fwmark so its probe table routes it through that gateway; or ARP on
// the gateway's device, which needs no routing.

import type { ProbeMethod } from '../../config/netgwm/types.js';
import { openArpProber } from '../../kernel/arp-prober.js';
import { openDnsProber } from '../../kernel/dns-prober.js';
import { openIcmpProber, type SiteProber } from '../../kernel/icmp-prober.js';
import { openIcmp6Prober } from '../../kernel/icmp6-prober.js';
import { loadNative } from '../../kernel/native.js';
import { openTcpProber, type MarkedSocketOpener } from '../../kernel/tcp-prober.js';

export interface SiteProberOptions {
  fwmark: number;
  method: ProbeMethod;
  /** tcp and dns. */
  port: number | null;
  dnsQuery: string;
  /** The gateway itself (the arp probe asks it). */
  gateway: { ip: string | null; dev: string | null };
  /** The group's family: ICMP echo is ICMPv6 for ipv6. Default ipv4. */
  family?: 'ipv4' | 'ipv6';
}

export type SiteProberFactory = (options: SiteProberOptions) => SiteProber;

const nativeMarkedSocket: MarkedSocketOpener = (family, stream, mark) =>
  loadNative().openMarkedSocket(family, stream, mark);

export function openSiteProber(
  options: SiteProberOptions,
  openSocket: MarkedSocketOpener = nativeMarkedSocket,
): SiteProber {
  switch (options.method) {
    case 'icmp':
      return options.family === 'ipv6'
        ? openIcmp6Prober({ fwmark: options.fwmark })
        : openIcmpProber({ fwmark: options.fwmark });
    case 'tcp':
      return openTcpProber({ fwmark: options.fwmark, port: options.port ?? 0, openSocket });
    case 'dns':
      return openDnsProber({
        fwmark: options.fwmark,
        port: options.port ?? 53,
        query: options.dnsQuery,
        openSocket,
      });
    case 'arp':
      if (options.gateway.dev === null) throw new Error('the arp probe needs the gateway dev');
      return openArpProber({ ifname: options.gateway.dev, native: loadNative() });
  }
}
