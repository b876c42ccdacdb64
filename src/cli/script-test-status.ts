// The `-t` exit status once the scripts are checked on the host, as keepalived 2.2.7 decides it
// (vrrp.c, check_vrrp_script_security): with at least one vrrp_instance, any configured script
// that exists (notify, vrrp_script, FIFO scripts) while enable_script_security is off is a
// "SECURITY VIOLATION" and exits 6, whatever else was reported. A missing or refused script is
// disabled, not a violation: keepalived's status is then the parser's, and so is vrrpd's (it does
// not run those scripts either, and says so).

import { KEEPALIVED_EXIT } from './config-commands.js';

export interface ScriptTestFacts {
  /** The parser's status (0, or 5 when keepalived reports something too). */
  parseStatus: number;
  instances: number;
  enableScriptSecurity: boolean;
  /** Configured scripts whose program was found on this host. */
  scriptsFound: number;
}

/** The status, and the warning line to print when it is keepalived's security violation. */
export function scriptTestStatus(facts: ScriptTestFacts): { status: number; violation: string | null } {
  if (facts.instances > 0 && !facts.enableScriptSecurity && facts.scriptsFound > 0) {
    return {
      status: KEEPALIVED_EXIT.CONFIG_TEST_SECURITY,
      violation: `${facts.scriptsFound} script(s) exist and enable_script_security is off: exit status 6, as keepalived -t exits ("SECURITY VIOLATION - scripts are being executed but script_security not enabled"); set enable_script_security in global_defs`,
    };
  }
  return { status: facts.parseStatus, violation: null };
}
