// The daemon's view of a simulated router's instances. The simulator is configured with the pure
// core's InstanceConfigInput, but what the daemon accepts from the wire depends on the plan it
// builds from keepalived.conf (src/daemon/plan.ts). So each router's instances are written out as
// the keepalived.conf that configures them, parsed by the real parser and planned by the real
// planner; a cross-check makes sure the plan describes the same instances the simulator runs.

import { parseConfigText } from '../../../src/config/parse-config.js';
import { planDaemon, type InstancePlan } from '../../../src/daemon/plan.js';
import { AuthType } from '../../../src/packet/types.js';
import type { InstanceConfig } from '../../../src/vrrp/index.js';

/** keepalived takes an unquoted password as one word; anything else would need quoting rules. */
const PLAIN_WORD = /^[A-Za-z0-9_.:@%+=-]+$/;

function instanceBlock(config: InstanceConfig): string {
  if (!PLAIN_WORD.test(config.name))
    throw new Error(`instance name ${JSON.stringify(config.name)} is not a plain word`);
  const lines = [
    `vrrp_instance ${config.name} {`,
    '  interface eth0',
    `  virtual_router_id ${config.vrid}`,
    `  priority ${config.priority}`,
    `  version ${config.version}`,
    // keepalived's advert_int is in seconds; v3 allows hundredths.
    `  advert_int ${config.advertIntervalCs / 100}`,
  ];
  if (config.version === 2 && config.authType === AuthType.simple) {
    if (!PLAIN_WORD.test(config.authPassword)) {
      throw new Error(`password ${JSON.stringify(config.authPassword)} is not a plain word`);
    }
    lines.push('  authentication {', '    auth_type PASS', `    auth_pass ${config.authPassword}`, '  }');
  }
  lines.push('  virtual_ipaddress {', ...config.vips.map((vip) => `    ${vip}/32`), '  }', '}');
  return lines.join('\n');
}

/** What of an instance the receive path checks adverts against (v3 has no authentication). */
function receiveView(vrid: number, core: InstancePlan['core']): string {
  const version = core.version ?? 2;
  const authType = version === 2 ? (core.authType ?? AuthType.none) : AuthType.none;
  return JSON.stringify({
    vrid,
    version,
    priority: core.priority,
    advertIntervalCs: core.advertIntervalCs,
    vips: core.vips,
    authType,
    authPassword: authType === AuthType.simple ? core.authPassword : '',
  });
}

/** The plan must describe the simulated instance wherever the receive path looks. */
function checkPlanMatches(plan: InstancePlan, config: InstanceConfig): void {
  const planned = receiveView(plan.vrid, plan.core);
  const simulated = receiveView(config.vrid, config);
  if (planned !== simulated) {
    throw new Error(
      `the daemon's plan for ${config.name} is ${planned}, the simulated instance ${simulated}`,
    );
  }
}

/** The plans the daemon would run for these instances, in the same order. */
export function plansFor(configs: readonly InstanceConfig[]): InstancePlan[] {
  const text = configs.map(instanceBlock).join('\n\n') + '\n';
  const parsed = parseConfigText(text);
  if (!parsed.ok || !parsed.config) {
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    throw new Error(
      `the simulated instances do not make a valid keepalived.conf: ${errors.join('; ')}\n${text}`,
    );
  }
  const plans = planDaemon(parsed.config).instances;
  return configs.map((config) => {
    const plan = plans.find((p) => p.name === config.name);
    if (!plan) throw new Error(`no plan for ${config.name}`);
    checkPlanMatches(plan, config);
    return plan;
  });
}
