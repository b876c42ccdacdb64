// Starts the packet injector (injector.ts, compiled) inside a lab namespace. The lab kills it by
// PID at teardown; closing its stdin also makes it exit.

import { distPath, requireBuiltDist } from '../lab/dist.js';
import { JsonLinesChild } from '../lab/json-lines.js';
import type { Lab } from '../lab/lab.js';

export const INJECTOR_SOURCES = ['src/kernel', 'src/packet', 'test/interop', 'test/lab'];

export class PacketInjector {
  constructor(private readonly child: JsonLinesChild) {}

  /** Sends a whole IPv4 packet (header included, as written) `count` times towards `dest`. */
  async send(packet: Buffer, dest: string, count = 1): Promise<void> {
    await this.child.request('send', { hex: packet.toString('hex'), dest, count });
  }

  /** Sends multicast packets out of this interface (the namespace has no route for 224.0.0.0/4). */
  async useMulticastInterface(ifindex: number): Promise<void> {
    await this.child.request('multicastInterface', { ifindex });
  }

  close(): void {
    this.child.end();
  }
}

export async function startInjector(lab: Lab, role: string, timeoutMs = 10_000): Promise<PacketInjector> {
  requireBuiltDist(INJECTOR_SOURCES);
  const child = lab.spawnIn(role, [process.execPath, distPath('test/interop/injector.ts')]);
  const agent = new JsonLinesChild(child);
  await agent.waitForEvent((e) => e.event === 'ready', timeoutMs);
  return new PacketInjector(agent);
}
