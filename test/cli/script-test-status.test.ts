// `vrrpd -t`'s status once the scripts are checked on the host: keepalived 2.2.7's rule
// (vrrp.c, check_vrrp_script_security; lib/parser.c keeps the highest error, security last).
import { describe, expect, it } from 'vitest';
import { KEEPALIVED_EXIT } from '../../src/cli/config-commands.js';
import { scriptTestStatus } from '../../src/cli/script-test-status.js';

const facts = { parseStatus: 0, instances: 1, enableScriptSecurity: false, scriptsFound: 1 };

describe('scriptTestStatus', () => {
  it('exits 6 when a script exists and enable_script_security is off, over a reported mistake (5) too', () => {
    expect(scriptTestStatus(facts).status).toBe(KEEPALIVED_EXIT.CONFIG_TEST_SECURITY);
    expect(scriptTestStatus({ ...facts, parseStatus: 5 }).status).toBe(6);
    expect(scriptTestStatus(facts).violation).toMatch(/SECURITY VIOLATION/);
  });

  it("keeps the parser's status with enable_script_security, with no script found, or with no instance", () => {
    for (const other of [{ enableScriptSecurity: true }, { scriptsFound: 0 }, { instances: 0 }]) {
      expect(scriptTestStatus({ ...facts, parseStatus: 5, ...other })).toEqual({
        status: 5,
        violation: null,
      });
    }
  });
});
