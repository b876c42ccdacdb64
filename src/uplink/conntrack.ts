// conntrack(8) argv for the optional flush after a switch. Flows NATed through the old uplink
// have its address as their reply destination, so when that address is known only those are
// deleted (`--reply-dst`); otherwise every flow of the protocol goes, as NetGWM's sample hook
// (`conntrack -D -p udp`) does. TCP survives a route change on its own far more often than UDP
// (which keeps using a stale NAT mapping), hence `udp` as the usual choice.

export function conntrackFlushArgv(mode: 'udp' | 'all', oldUplinkAddress: string | null): string[] {
  const argv = ['conntrack', '-D'];
  if (mode === 'udp') argv.push('-p', 'udp');
  if (oldUplinkAddress !== null) argv.push('--reply-dst', oldUplinkAddress);
  return argv;
}
