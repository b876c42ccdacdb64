// The reference for netgwm.yml's `vrrpd:` section, generated from the same table the parser uses,
// so the documentation cannot drift from the behaviour: docs/config-reference.md holds its
// output, and test/config/reference-doc.test.ts fails when the two differ.

import { NETGWM_EXTENSIONS } from './extensions.js';
import { GATEWAY_SETTINGS } from './gateway-settings.js';

const escape = (text: string): string => text.replace(/\|/g, '\\|');

function rowsOf(
  specs: ReadonlyArray<{ key: string; syntax: string; defaultText: string; doc: string }>,
): string[] {
  return specs.map(
    (spec) =>
      `| \`${spec.key}\` | \`${escape(spec.syntax)}\` | ${escape(spec.defaultText)} | ${escape(spec.doc)} |`,
  );
}

export function netgwmExtensionsMarkdown(): string {
  const rows = rowsOf(NETGWM_EXTENSIONS);
  return [
    'NetGWM keys (`gateways`, `min_uptime`, `check_sites`, `check_all_gateways`, `mode`) are read unchanged;',
    "vrrpd's extensions go in a `vrrpd:` section of the same file, which NetGWM ignores.",
    '',
    '| Key | Value | Default | Meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    "Per gateway, under `vrrpd: gateways: ID:` (ID as in `gateways`), each key overriding the section's value",
    'for that gateway only:',
    '',
    '| Key | Value | Default | Meaning |',
    '| --- | --- | --- | --- |',
    ...rowsOf(GATEWAY_SETTINGS),
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
