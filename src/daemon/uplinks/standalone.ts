// Running the uplink module alone, as NetGWM is used on a single router:
// `vrrpd --uplinks-only -c /etc/netgwm/netgwm.yml`. No VRRP: the router always owns its default
// route (role `standalone`). The CLI wires signals: HUP → reload(), TERM/INT → stop().

import { DiagnosticSink, sortDiagnostics, type Diagnostic } from '../../config/report/diagnostics.js';
import type { ConfigFileSource } from '../../config/language/file-source.js';
import { nodeFileSource } from '../config-files.js';
import { NETGWM_DEFAULT_CONFIG_PATH } from '../../config/netgwm/constants.js';
import { loadNetgwmConfig } from './config-files.js';
import { openKernelNetlink } from '../../kernel/netlink.js';
import { watchRoutes } from '../../kernel/route-watch.js';
import { UplinkManager, type UplinkManagerDeps } from './manager.js';
import type { Logger } from '../../runtime/log.js';

export interface StandaloneUplinkOptions {
  /** netgwm.yml (`-c`); defaults to NetGWM's /etc/netgwm/netgwm.yml. */
  configPath?: string;
  logger: Logger;
  /** Tests pass an in-memory source; the CLI leaves the filesystem one. */
  files?: ConfigFileSource;
  /** Replaces parts of the I/O (the kernel adapters are opened here unless given). */
  deps?: Partial<UplinkManagerDeps>;
}

export interface StandaloneUplinks {
  manager: UplinkManager;
  /** Re-reads the file; on errors the running configuration stays and the errors are returned. */
  reload(): Promise<Diagnostic[]>;
  stop(): Promise<void>;
}

export type StandaloneStart =
  { ok: true; uplinks: StandaloneUplinks; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

export async function startStandaloneUplinks(options: StandaloneUplinkOptions): Promise<StandaloneStart> {
  const configPath = options.configPath ?? NETGWM_DEFAULT_CONFIG_PATH;
  const files = options.files ?? nodeFileSource();
  const load = (): { config: ReturnType<typeof loadNetgwmConfig>; diagnostics: Diagnostic[] } => {
    const sink = new DiagnosticSink();
    const config = loadNetgwmConfig(configPath, files, sink);
    return { config, diagnostics: sortDiagnostics(sink.diagnostics) };
  };
  const first = load();
  if (first.config === null) return { ok: false, diagnostics: first.diagnostics };

  const netlink = options.deps?.kernel ? null : openKernelNetlink();
  const kernel = options.deps?.kernel ?? (netlink as NonNullable<typeof netlink>);
  let manager: UplinkManager;
  try {
    manager = await UplinkManager.start(
      { name: 'standalone', config: first.config, role: 'standalone', logger: options.logger },
      { ...(netlink ? { watchRoutes } : {}), ...options.deps, kernel },
    );
  } catch (error) {
    netlink?.close();
    throw error;
  }
  const uplinks: StandaloneUplinks = {
    manager,
    async reload() {
      const next = load();
      if (next.config !== null) await manager.reload(next.config);
      return next.diagnostics;
    },
    async stop() {
      await manager.stop();
      netlink?.close();
    },
  };
  return { ok: true, uplinks, warnings: first.diagnostics };
}
