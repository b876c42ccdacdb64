// Applies the sticky-flows nftables table (src/uplink/sticky-flows.ts) with `nft -f -`: at start,
// whenever the set of UP gateways changes, and removed on stop. Failures are logged once until
// the next success; routing works on without stickiness.

import { childProcess } from '../../runtime/builtins.js';
import { LOG } from '../../runtime/messages.js';
import { SerialQueue } from '../../runtime/serial-queue.js';
import {
  stickyFlowsRemoval,
  stickyFlowsScript,
  stickyTableName,
  type StickyGateway,
} from '../../uplink/sticky-flows.js';
import type { UplinkReporter } from './reporting.js';
import { systemTimers } from '../../runtime/timers.js';

const NFT_TIMEOUT_MS = 5000;

/** Runs `nft -f -` with `script` on stdin; rejects with nft's message. */
export function runNft(script: string, timeoutMs = NFT_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = childProcess().spawn('nft', ['-f', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = systemTimers.after(timeoutMs, () => child.kill('SIGKILL'));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', (error) => {
      timer.cancel();
      reject(error);
    });
    child.on('close', (code, signal) => {
      timer.cancel();
      if (code === 0) resolve();
      else
        reject(new Error(`nft exited ${signal ?? code}: ${stderr.trim().split('\n').slice(0, 3).join(' ')}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(script);
  });
}

export class StickyFlows {
  private applied: string | null = null;
  private failing = false;
  private readonly queue: SerialQueue;
  private readonly table: string;

  constructor(
    group: string,
    private readonly reporter: UplinkReporter,
    private readonly run: (script: string) => Promise<void> = runNft,
  ) {
    this.table = stickyTableName(group);
    this.queue = new SerialQueue((_label, message) => {
      if (this.failing) return;
      this.failing = true;
      reporter.say(LOG.uplinkStickyFailed, { table: this.table, error: message });
    });
  }

  /** Brings the table in line with these gateways and the UP ones among them (no-op if unchanged). */
  update(family: 'ipv4' | 'ipv6', gateways: readonly StickyGateway[], upIds: readonly string[]): void {
    const script = stickyFlowsScript(this.table, family, gateways, upIds);
    if (script === this.applied) return;
    this.applied = script;
    this.queue.push('sticky flows', async () => {
      try {
        await this.run(script);
      } catch (error) {
        this.applied = null;
        throw error;
      }
      if (this.failing) this.reporter.say(LOG.uplinkStickyApplied, { table: this.table });
      this.failing = false;
    });
  }

  /** Deletes the table (if this group ever wrote it). */
  async remove(): Promise<void> {
    if (this.applied === null && !this.failing) return;
    this.applied = null;
    this.queue.push('sticky flows removal', () => this.run(stickyFlowsRemoval(this.table)));
    await this.queue.idle();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }
}
