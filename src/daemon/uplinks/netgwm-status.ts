// NetGWM's status files, written in NetGWM's formats so what reads them keeps working:
//   <status_dir>/<id>         `up:SITE:RTT` (the first check site that answered, its average RTT
//                             in ms with three decimals, as `ping -q` prints it) or `down`, no newline;
//   <status_dir>/gwstore.yml  `ID: {wakeuptime: SECONDS}` per gateway, keys sorted, as PyYAML dumps
//                             it: since when (Unix time) the gateway has answered without a failed
//                             round in between, `null` while it fails.
// NetGWM writes them at every run for the gateways it checked; vrrpd for every gateway, when their
// content changes. A gateway id that cannot be a file name (`/`, or `gwstore.yml`) gets no file
// of its own (one warning).

import { mkdir, rename, writeFile } from '../../runtime/fs-async.js';
import { join } from 'node:path';
import { yamlModule } from '../../config/netgwm/yaml-module.js';
import { LOG } from '../../runtime/messages.js';
import { SerialQueue } from '../../runtime/serial-queue.js';
import type { GatewayHealth, GatewayRound } from '../../uplink/types.js';
import type { UplinkReporter } from './reporting.js';

export const GWSTORE_FILE = 'gwstore.yml';

/** `up:SITE:RTT` for a round in which some site answered, else null. */
export function answeringSiteLine(round: GatewayRound): string | null {
  const site = round.sites.find((s) => s.received > 0 && s.rttMs !== null);
  return site ? `up:${site.site}:${(site.rttMs as number).toFixed(3)}` : null;
}

/** A float as PyYAML writes it (`1500000000.123`, `1500000000.0`). */
function pythonFloat(value: number): string {
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** gwstore.yml's text: one flow mapping per gateway, keys sorted (PyYAML's default). */
export function gwstoreText(wakeuptimes: ReadonlyMap<string, number | null>): string {
  const ids = [...wakeuptimes.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return ids
    .map((id) => {
      const key = yamlModule().stringify(id, { version: '1.1' }).trim();
      const at = wakeuptimes.get(id) ?? null;
      return `${key}: {wakeuptime: ${at === null ? 'null' : pythonFloat(Math.round(at) / 1000)}}\n`;
    })
    .join('');
}

function usableAsFileName(id: string): boolean {
  return id !== '' && id !== '.' && id !== '..' && !id.includes('/') && id !== GWSTORE_FILE;
}

export class NetgwmStatusFiles {
  private readonly queue: SerialQueue;
  private readonly written = new Map<string, string>();
  private readonly lastUp = new Map<string, string>();
  private readonly unnamable = new Set<string>();
  private readonly failing = new Set<string>();

  constructor(
    private readonly directory: () => string | null,
    private readonly reporter: UplinkReporter,
  ) {
    this.queue = new SerialQueue((label, message) => {
      // Written again with the next change; complained about once until a write succeeds.
      this.written.delete(label);
      if (this.failing.has(label)) return;
      this.failing.add(label);
      reporter.say(LOG.uplinkStatusWrite, { file: label, error: message });
    });
  }

  /**
   * After a round has been judged: the results of the round and the gateways' health as the policy
   * now holds it, with `toWallMs` turning policy times into wall-clock milliseconds.
   */
  update(
    results: readonly GatewayRound[],
    health: readonly GatewayHealth[],
    toWallMs: (t: number) => number,
  ): void {
    const directory = this.directory();
    if (directory === null) return;
    for (const round of results) {
      const line = answeringSiteLine(round);
      if (line) this.lastUp.set(round.gatewayId, line);
    }
    const wakeuptimes = new Map<string, number | null>();
    for (const gateway of health) {
      if (gateway.state === 'UNKNOWN') continue;
      const up = gateway.state === 'UP';
      const since = up ? (gateway.streakSince ?? gateway.healthySince) : null;
      wakeuptimes.set(gateway.id, since === null ? null : toWallMs(since));
      if (!usableAsFileName(gateway.id)) {
        if (!this.unnamable.has(gateway.id)) {
          this.unnamable.add(gateway.id);
          this.reporter.say(LOG.uplinkStatusName, { gateway: gateway.id, directory });
        }
        continue;
      }
      this.write(directory, gateway.id, up ? (this.lastUp.get(gateway.id) ?? 'down') : 'down');
    }
    if (wakeuptimes.size > 0) this.write(directory, GWSTORE_FILE, gwstoreText(wakeuptimes));
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private write(directory: string, name: string, content: string): void {
    const path = join(directory, name);
    if (this.written.get(path) === content) return;
    this.written.set(path, content);
    this.queue.push(path, async () => {
      await mkdir(directory, { recursive: true, mode: 0o755 });
      const temporary = join(directory, `.${name}.${process.pid}.tmp`);
      await writeFile(temporary, content, { mode: 0o644 });
      await rename(temporary, path);
      this.failing.delete(path);
    });
  }
}
