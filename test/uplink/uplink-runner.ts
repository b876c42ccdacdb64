// Child process for the namespace test: runs the compiled UplinkManager inside a router namespace
// (`ip netns exec NS node dist/test/uplink/uplink-runner.js`) and exposes it over JSON lines
// (test/lab/json-lines.ts). Log records and manager notices are forwarded as events. Exits when
// its stdin closes, after removing its probe routing.

import { DiagnosticSink, formatDiagnostic } from '../../src/config/report/diagnostics.js';
import { nodeFileSource } from '../../src/daemon/config-files.js';
import type { LeaveMasterPolicy } from '../../src/config/model/types.js';
import { loadNetgwmConfig } from '../../src/daemon/uplinks/config-files.js';
import { openKernelNetlink, type KernelNetlink } from '../../src/kernel/netlink.js';
import { watchRoutes } from '../../src/kernel/route-watch.js';
import { UplinkManager } from '../../src/daemon/uplinks/manager.js';
import type { UplinkRole } from '../../src/uplink/types.js';
import { emitEvent, serveJsonLines } from '../lab/json-lines-server.js';
import { callbackLogger, type Logger } from '../../src/runtime/log.js';

let manager: UplinkManager | null = null;
let netlink: KernelNetlink | null = null;

const logger: Logger = callbackLogger((level, fields, message) => {
  if (level !== 'debug') emitEvent('log', { level, message, fields });
});

function role(value: unknown): UplinkRole {
  if (value === 'master' || value === 'backup' || value === 'standalone') return value;
  throw new Error(`bad role ${String(value)}`);
}

async function stop(): Promise<void> {
  await manager?.stop();
  manager = null;
  netlink?.close();
  netlink = null;
}

serveJsonLines(
  {
    async start(params) {
      if (manager) throw new Error('already started');
      const sink = new DiagnosticSink();
      const config = loadNetgwmConfig(String(params.configPath), nodeFileSource(), sink);
      if (!config) throw new Error(sink.diagnostics.flatMap((d) => formatDiagnostic(d)).join('\n'));
      netlink = openKernelNetlink();
      const options: Parameters<typeof UplinkManager.start>[0] = {
        name: String(params.name ?? 'ISP'),
        config,
        role: role(params.role),
        logger,
      };
      if (params.onLeaveMaster) options.onLeaveMaster = params.onLeaveMaster as LeaveMasterPolicy;
      manager = await UplinkManager.start(options, { kernel: netlink, watchRoutes });
      manager.onNotice((notice) => emitEvent('notice', { ...notice }));
      return 'started';
    },
    async setRole(params) {
      if (!manager) throw new Error('not started');
      await manager.setRole(role(params.role));
      return manager.role();
    },
    status() {
      if (!manager) throw new Error('not started');
      return manager.status();
    },
    async stop() {
      await stop();
      return 'stopped';
    },
  },
  () => {
    void stop().finally(() => process.exit(0));
  },
);
emitEvent('ready');
