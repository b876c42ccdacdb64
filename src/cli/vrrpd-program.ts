// `vrrpd`'s command line as a commander program, built from the option table (vrrpd-options.ts):
// the executable (vrrpd.ts) falls back to it for --help, --version and errors, and the package
// build renders vrrpd(8) and the bash completion from it, so --help and the man page cannot drift.
// keepalived's harmless flags are accepted (hidden from --help) so a KEEPALIVED_OPTIONS line keeps working.

import { Command, Option } from 'commander';
import { VRRPD_OPTIONS } from './vrrpd-options.js';
import { VRRPD_VERSION } from './version.js';

export {
  DEFAULT_CONFIG_FILE,
  DEFAULT_PID_FILE,
  DEFAULT_STATE_DIR,
  type CliOptions,
} from './vrrpd-options.js';

/** vrrpd's options: parsed by vrrpd.ts, and the source of vrrpd(8) and its bash completion. */
export function vrrpdProgram(): Command {
  const command = new Command('vrrpd').description(
    'VRRP router-redundancy daemon (keepalived-compatible configuration and scripts)',
  );
  for (const spec of VRRPD_OPTIONS) {
    const option = new Option(spec.flags, spec.description);
    if (spec.choices) option.choices(spec.choices);
    if (spec.default !== undefined) option.default(spec.default);
    if (spec.hidden) option.hideHelp();
    command.addOption(option);
  }
  return command.version(VRRPD_VERSION, '-v, --version');
}
