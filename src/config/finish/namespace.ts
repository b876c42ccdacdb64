// The network namespace net_namespace names must exist when the daemon starts: keepalived 2.2.7
// logs "Unable to set network namespace" and exits at once, and so does vrrpd. Which namespaces
// exist is the host's business: the shell lists /run/netns and passes the names in; offline
// checks pass none.

import type { DiagnosticSink } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type { VrrpdConfig } from '../model/types.js';

export function checkNamespaceExists(
  config: VrrpdConfig,
  existing: ReadonlySet<string>,
  sink: DiagnosticSink,
): void {
  const wanted = config.globals.netNamespace;
  if (!wanted || existing.has(wanted.name)) return;
  sink.report(
    DiagnosticCodes.namespaceMissing,
    wanted.source,
    `network namespace '${wanted.name}' (net_namespace) does not exist on this host (no /run/netns/${wanted.name}): vrrpd does not start without it, as keepalived does not`,
    `create it first (ip netns add ${wanted.name}), or check the file with --offline`,
  );
}
