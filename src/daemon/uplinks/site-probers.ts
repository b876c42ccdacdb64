// Which probe socket a gateway gets: ICMP echo (the default), TCP connect or DNS query, every one
// marked with the gateway's fwmark so its probe table routes it through that gateway.

import type { ProbeMethod } from '../../config/netgwm/types.js';
import { openDnsProber } from '../../kernel/dns-prober.js';
import { openIcmpProber, type SiteProber } from '../../kernel/icmp-prober.js';
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
      return openIcmpProber({ fwmark: options.fwmark });
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
      throw new Error('the arp probe is not available');
  }
}
