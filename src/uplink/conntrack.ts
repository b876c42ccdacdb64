// conntrack(8) argv for the optional flush after a switch. Flows NATed through the old uplink
// have its address as their reply destination, so when that address is known only those are
// deleted (`--reply-dst`); otherwise every flow of the protocol goes, as NetGWM's sample hook
// (`conntrack -D -p udp`) does. TCP survives a route change on its own far more often than UDP
// (which keeps using a stale NAT mapping), hence `udp` as the usual choice.

export function conntrackFlushArgv(
  mode: 'udp' | 'all',
  oldUplinkAddress: string | null,
  family: 'ipv4' | 'ipv6' = 'ipv4',
): string[] {
  const argv = ['conntrack', '-D'];
  // conntrack(8) works on IPv4 flows unless told otherwise.
  if (family === 'ipv6') argv.push('-f', 'ipv6');
  if (mode === 'udp') argv.push('-p', 'udp');
  if (oldUplinkAddress !== null) argv.push('--reply-dst', oldUplinkAddress);
  return argv;
}
