// Sticky flows: a connection keeps the uplink it started on while that uplink is UP, whatever the
// default route does meanwhile (a fail-back, a gateway joining a tier's multipath route). Without
// it a fail-back moves established flows to the new uplink, where their NAT mapping (or the
// source address they were opened with) is wrong, and they die.
//
// The mechanism is connmark, as in pfSense/mwan3 setups: the first packet of a connection leaving
// through gateway n gets conntrack mark M_n (gateway n's probe mark); later packets of that
// connection in its original direction get M_n as their packet mark, and the rule that already
// steers gateway n's probes (`fwmark M_n lookup T_n`, T_n holding `default via gateway n`) sends
// them through gateway n. Only the marks of gateways that are UP are restored: the flows of an
// uplink that failed follow the default route again. This module writes the nftables script
// (`nft -f -`); the shell runs it whenever the set of UP gateways changes, and deletes the table
// on stop. The script replaces the table in one transaction, so there is never a gap.

export interface StickyGateway {
  id: string;
  ip: string | null;
  dev: string | null;
  /** The gateway's probe mark. */
  mark: number;
}

const hex = (mark: number): string => `0x${mark.toString(16).padStart(8, '0')}`;

/** nftables identifiers: letters, digits and `_` (a group name may have more). */
export function stickyTableName(group: string): string {
  return `vrrpd_uplinks_${group.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 64);
}

/** Matching the first packet of a connection that leaves through this gateway. */
function pathMatch(gateway: StickyGateway, family: 'ipv4' | 'ipv6'): string | null {
  const parts: string[] = [];
  if (gateway.dev !== null) parts.push(`oifname ${JSON.stringify(gateway.dev)}`);
  if (gateway.ip !== null) parts.push(`rt ${family === 'ipv4' ? 'ip' : 'ip6'} nexthop ${gateway.ip}`);
  return parts.length === 0 ? null : parts.join(' ');
}

/** The whole table: marks new connections per gateway, restores the marks of the UP ones. */
export function stickyFlowsScript(
  table: string,
  family: 'ipv4' | 'ipv6',
  gateways: readonly StickyGateway[],
  upIds: readonly string[],
): string {
  const nfproto = family === 'ipv4' ? 'ipv4' : 'ipv6';
  const marking = gateways.flatMap((gateway) => {
    const match = pathMatch(gateway, family);
    return match === null
      ? []
      : [`    meta nfproto ${nfproto} ct state new ct mark 0 ${match} ct mark set ${hex(gateway.mark)}`];
  });
  const upMarks = gateways
    .filter((gateway) => upIds.includes(gateway.id))
    .map((gateway) => hex(gateway.mark));
  const restore =
    upMarks.length === 0
      ? []
      : [
          `    meta nfproto ${nfproto} ct direction original ct mark { ${upMarks.join(', ')} } meta mark set ct mark`,
        ];
  return [
    // Create it if missing, so the delete cannot fail; then define it anew (one transaction).
    `table inet ${table}`,
    `delete table inet ${table}`,
    `table inet ${table} {`,
    '  chain postrouting {',
    '    type filter hook postrouting priority mangle; policy accept;',
    ...marking,
    '  }',
    '  chain prerouting {',
    '    type filter hook prerouting priority mangle; policy accept;',
    ...restore,
    '  }',
    '  chain output {',
    // A route chain: a packet whose mark changes here is routed again.
    '    type route hook output priority mangle; policy accept;',
    ...restore,
    '  }',
    '}',
    '',
  ].join('\n');
}

export function stickyFlowsRemoval(table: string): string {
  return `table inet ${table}\ndelete table inet ${table}\n`;
}
