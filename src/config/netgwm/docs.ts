// The reference for netgwm.yml's `vrrpd:` section, generated from the same table the parser uses,
// so the documentation cannot drift from the behaviour: docs/config-reference.md holds its
// output, and test/config/reference-doc.test.ts fails when the two differ.

import { NETGWM_EXTENSIONS } from './extensions.js';

export function netgwmExtensionsMarkdown(): string {
  const escape = (text: string): string => text.replace(/\|/g, '\\|');
  const rows = NETGWM_EXTENSIONS.map(
    (spec) =>
      `| \`${spec.key}\` | \`${escape(spec.syntax)}\` | ${escape(spec.defaultText)} | ${escape(spec.doc)} |`,
  );
  return [
    'NetGWM keys (`gateways`, `min_uptime`, `check_sites`, `check_all_gateways`, `mode`) are read unchanged;',
    "vrrpd's extensions go in a `vrrpd:` section of the same file, which NetGWM ignores.",
    '',
    '| Key | Value | Default | Meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

export const NETGWM_GENERATED_BEGIN =
  '<!-- BEGIN GENERATED: netgwm.yml vrrpd section (src/config/netgwm/docs.ts) -->';
export const NETGWM_GENERATED_END = '<!-- END GENERATED: netgwm.yml vrrpd section -->';

/** The generated part of docs/config-reference.md's uplink section, markers included. */
export function renderNetgwmReference(): string {
  return [NETGWM_GENERATED_BEGIN, '', netgwmExtensionsMarkdown(), NETGWM_GENERATED_END].join('\n');
}
