// Kernel-side counters read inside a lab namespace, for honest packet accounting: what reached
// the IP layer (/proc/net/snmp) and what raw sockets had to drop because their receive queue was
// full (/proc/net/raw, last column), as opposed to what the daemon itself counted.

import type { Lab } from '../lab/lab.js';

/** Sum of the `drops` column of the raw sockets bound to IP protocol `protocol` in `role`. */
export async function rawSocketDrops(lab: Lab, role: string, protocol = 112): Promise<number> {
  const { stdout } = await lab.exec(role, ['cat', '/proc/net/raw']);
  const port = protocol.toString(16).toUpperCase().padStart(4, '0');
  let drops = 0;
  for (const line of stdout.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    // local_address is "ADDR:PORT", the port of a raw socket being its protocol.
    if (fields.length > 2 && fields[1]?.endsWith(`:${port}`)) drops += Number(fields.at(-1));
  }
  return drops;
}

/** One counter of the `Ip:` section of /proc/net/snmp in `role` (e.g. InReceives, InDelivers). */
export async function ipCounter(lab: Lab, role: string, name: string): Promise<number> {
  const { stdout } = await lab.exec(role, ['cat', '/proc/net/snmp']);
  const [header, values] = stdout.split('\n').filter((line) => line.startsWith('Ip:'));
  const index = header?.split(/\s+/).indexOf(name) ?? -1;
  if (index < 1 || !values) throw new Error(`no Ip: ${name} in /proc/net/snmp of ${role}`);
  return Number(values.split(/\s+/)[index]);
}
