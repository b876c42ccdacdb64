// `net_namespace NAME`: the network namespace the daemon runs in. keepalived 2.2.7 installs it as a
// top-level keyword (core/global_parser.c, install_keyword_root): written inside global_defs it is
// an unknown keyword there, reported and skipped, and keepalived runs where it was started.
// keepalived keeps the first name (a later one is reported and ignored) and reports a missing
// name, running on. Entering the namespace is the shell's work (src/daemon/netns-entry.ts).

import type { ConfigDraft } from './drafts.js';
import type { GlobalDefs } from '../model/types.js';
import { DiagnosticCodes, KEEPALIVED_REPORTS } from '../report/diagnostics.js';
import { ignoredKeywords } from './common.js';
import type { KeywordSpec } from './types.js';

/**
 * Whether `name` can name an `ip netns` namespace: a file of /run/netns, so one path component
 * (iproute2 refuses names with '/' and the names '.' and '..').
 */
export function isNamespaceName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\0');
}

export const NET_NAMESPACE_KEYWORD: KeywordSpec<ConfigDraft> = {
  name: 'net_namespace',
  status: 'supported',
  syntax: '<NAME>',
  doc: 'Run in the network namespace NAME (/run/netns/NAME, as `ip netns add` makes it), as keepalived does: vrrpd enters it at start, before opening any socket, and refuses to start if it does not exist; its pid file and control socket go to /run/vrrpd/NAME/ (seen from inside as /run/vrrpd/, a mount namespace of its own); scripts run inside it. The first one counts; `vrrpd -s NAME` overrides it; it cannot change at a reload.',
  // keepalived reports a missing name and runs on: read here rather than refused by the arity check.
  arity: [0, 1],
  repeat: 'append',
  apply: (node, config, ctx) => {
    const word = node.args[0];
    if (!word) {
      ctx.sink.report(
        DiagnosticCodes.valueSkipped,
        node.source,
        "'net_namespace' needs a namespace name",
        'syntax: net_namespace <NAME>',
        'the line is ignored, as keepalived ignores it',
      );
      return;
    }
    if (config.globals.netNamespace !== null) {
      ctx.sink.report(
        DiagnosticCodes.suspicious,
        node.source,
        `net_namespace '${word.text}' is ignored: the daemon already runs in '${config.globals.netNamespace.name}' (the first net_namespace counts, as in keepalived)`,
        'remove the line that should not apply',
        KEEPALIVED_REPORTS,
      );
      return;
    }
    if (!isNamespaceName(word.text)) {
      ctx.sink.report(
        DiagnosticCodes.value,
        word.source,
        `'${word.text}' is not a network namespace name: it must be one file name of /run/netns`,
        'name the namespace as `ip netns list` shows it',
      );
      return;
    }
    config.globals.netNamespace = { name: word.text, source: node.source };
  },
};

/** In global_defs: keepalived reports it as unknown there and runs in the namespace it was started in. */
export const NET_NAMESPACE_IN_GLOBAL_DEFS: KeywordSpec<GlobalDefs>[] = ignoredKeywords<GlobalDefs>(
  ['net_namespace'],
  'keepalived reads net_namespace at the top level only and reports it here as unknown; the daemon runs in the namespace it was started in, as keepalived does',
  'move the line out of global_defs to run in that namespace',
  { keepalivedReports: true },
);
