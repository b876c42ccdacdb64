// What follows a switch, off the probe loop's path: the conntrack flush, the post-replace.d hooks
// and the NetGWM-format log line. Each failure is logged (the binary missing only once), never
// thrown: the route has already moved, and nothing here may stop the next probe round.

import { isLinkLocalIpv6 } from '../../packet/address6.js';
import { appendFile, mkdir } from '../../runtime/fs-async.js';
import { dirname, join } from 'node:path';
import { LOGS_DIRECTORY_FALLBACK } from '../../config/netgwm/constants.js';
import type { KernelAddresses } from '../../kernel/addresses.js';
import type { KernelLinks } from '../../kernel/links.js';
import { resolveProgram } from '../../scripts/command-path.js';
import { cleanScriptEnvironment } from '../../scripts/environment.js';
import { runScript } from '../../scripts/runner.js';
import { conntrackFlushArgv } from '../../uplink/conntrack.js';
import { runPostReplaceHooks } from './hooks.js';
import { netgwmLogLine } from '../../uplink/switch-log.js';
import type { GatewayRef } from '../../uplink/types.js';
import type { Logger } from '../../runtime/log.js';
import { errorMessage } from '../../runtime/errors.js';
import { LOG, say } from '../../runtime/messages.js';

const CONNTRACK_TIMEOUT_MS = 10_000;

/**
 * The switch log's path with `$LOGS_DIRECTORY` expanded: systemd's LogsDirectory= (the first one
 * when several are listed), or /var/log/vrrpd without systemd.
 */
export function expandLogPath(path: string, env: NodeJS.ProcessEnv = process.env): string {
  const prefix = '$LOGS_DIRECTORY';
  if (!path.startsWith(prefix)) return path;
  const directory = env.LOGS_DIRECTORY?.split(':')[0] || LOGS_DIRECTORY_FALLBACK;
  return join(directory, path.slice(prefix.length));
}

export interface SwitchEffectsOptions {
  group: string;
  logger: Logger;
  links: KernelLinks;
  addresses?: KernelAddresses;
  /** The group's family: whose flows are flushed, and which address of the old uplink names them. */
  family?: 'ipv4' | 'ipv6';
  postReplaceDir: string | null;
  eventDir: string | null;
  hookTimeoutMs: number;
  logFile: string | null;
  /** Minutes east of UTC at a given time, for NetGWM's local-time log stamps. */
  utcOffsetMinutes: (epochMs: number) => number;
  signal: AbortSignal;
}

export class SwitchEffects {
  private conntrackMissingLogged = false;
  private logFileFailing = false;

  constructor(private readonly options: SwitchEffectsOptions) {}

  /** The old uplink's own address, if it has a device with one: the NAT address of its flows. */
  private async uplinkAddress(gateway: GatewayRef): Promise<string | null> {
    const { addresses, links } = this.options;
    if (gateway.dev === null || !addresses) return null;
    try {
      const link = await links.byName(gateway.dev);
      if (!link) return null;
      const family = this.options.family ?? 'ipv4';
      const primary = (await addresses.list(link.ifindex, family)).find(
        (address) => !address.secondary && !isLinkLocalIpv6(address.address),
      );
      return primary?.address ?? null;
    } catch {
      return null;
    }
  }

  async flushConntrack(mode: 'udp' | 'all', old: GatewayRef): Promise<void> {
    const { logger, group } = this.options;
    const env = cleanScriptEnvironment(process.env);
    if (resolveProgram('conntrack', env.PATH ?? '') === null) {
      if (!this.conntrackMissingLogged) {
        this.conntrackMissingLogged = true;
        say(logger, LOG.uplinkConntrackMissing, { uplinkGroup: group });
      }
      return;
    }
    const argv = conntrackFlushArgv(mode, await this.uplinkAddress(old), this.options.family ?? 'ipv4');
    await runScript({
      argv,
      label: `conntrack flush (${mode}) after leaving ${old.id}`,
      timeoutMs: CONNTRACK_TIMEOUT_MS,
      logger,
      logContext: { uplinkGroup: group },
      signal: this.options.signal,
    });
  }

  async runHooks(args: readonly string[]): Promise<void> {
    const { postReplaceDir, logger, group } = this.options;
    if (postReplaceDir === null) return;
    await runPostReplaceHooks({
      directory: postReplaceDir,
      args,
      timeoutMs: this.options.hookTimeoutMs,
      logger,
      logContext: { uplinkGroup: group },
      signal: this.options.signal,
    });
  }

  /** mwan3-style per-gateway hooks: no arguments, the event in the environment. */
  async runEventHooks(action: 'up' | 'down', gateway: GatewayRef, previous: string): Promise<void> {
    const { eventDir, logger, group } = this.options;
    if (eventDir === null) return;
    await runPostReplaceHooks({
      directory: eventDir,
      args: [],
      env: {
        ACTION: action,
        GATEWAY: gateway.id,
        DEVICE: gateway.dev ?? '',
        GATEWAY_IP: gateway.ip ?? '',
        GROUP: group,
        PREVIOUS: previous,
      },
      timeoutMs: this.options.hookTimeoutMs,
      logger,
      logContext: { uplinkGroup: group, gateway: gateway.id, action },
      signal: this.options.signal,
    });
  }

  async appendNetgwmLog(gateway: GatewayRef, epochMs: number): Promise<void> {
    const { logger, group } = this.options;
    if (this.options.logFile === null) return;
    const logFile = expandLogPath(this.options.logFile);
    try {
      await mkdir(dirname(logFile), { recursive: true, mode: 0o755 });
      await appendFile(logFile, netgwmLogLine(epochMs, this.options.utcOffsetMinutes(epochMs), gateway), {
        mode: 0o644,
      });
      this.logFileFailing = false;
    } catch (error) {
      if (this.logFileFailing) return;
      this.logFileFailing = true;
      say(logger, LOG.uplinkLogFile, { uplinkGroup: group, logFile, error: errorMessage(error) });
    }
  }
}
