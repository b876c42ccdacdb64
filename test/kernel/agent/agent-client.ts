// Starts the kernel agent (kernel-agent.ts, compiled) inside a lab namespace and waits until
// it is ready. The lab kills it by PID at teardown; closing its stdin also makes it exit.

import type { Lab } from '../../lab/lab.js';
import { distPath, requireBuiltDist } from '../../lab/dist.js';
import { JsonLinesChild } from '../../lab/json-lines.js';

/** Sources the agent runs from dist/: a stale build fails fast with an instruction. */
export const AGENT_SOURCES = ['src/kernel', 'src/packet', 'test/kernel/agent', 'test/lab'];

export async function startKernelAgent(lab: Lab, role: string, timeoutMs = 10_000): Promise<JsonLinesChild> {
  requireBuiltDist(AGENT_SOURCES);
  const child = lab.spawnIn(role, [process.execPath, distPath('test/kernel/agent/kernel-agent.ts')]);
  const agent = new JsonLinesChild(child);
  await agent.waitForEvent((e) => e.event === 'ready', timeoutMs);
  return agent;
}
