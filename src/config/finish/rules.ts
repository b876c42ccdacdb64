// keepalived gives every virtual_rules entry without a priority one of its own, counting down
// from 16384 per address family in file order ("Rule has no preference specified - setting to
// 16384. This is probably not what you want.", vrrp_iprule.c). Left out, the kernel would choose
// one itself (just below the lowest existing rule), so the same file would order rules differently
// under the two daemons.

import type { DiagnosticSink } from '../report/diagnostics.js';
import { DiagnosticCodes, KEEPALIVED_REPORTS } from '../report/diagnostics.js';
import type { InstanceModel, StaticRule } from '../model/types.js';

const FIRST_RULE_PRIORITY = 16384;

/**
 * The same counter runs over static_rules, in file order: `staticsFirst` when the static_rules
 * block comes before the instances.
 */
export function assignRulePriorities(
  instances: readonly InstanceModel[],
  sink: DiagnosticSink,
  statics: { rules: readonly StaticRule[]; first: boolean } = { rules: [], first: false },
): { instances: InstanceModel[]; staticRules: StaticRule[] } {
  const next = { ipv4: FIRST_RULE_PRIORITY, ipv6: FIRST_RULE_PRIORITY };
  const numberStatics = (): StaticRule[] =>
    statics.rules.map((rule) => {
      if (rule.priority !== null) return rule;
      const priority = next[rule.family]--;
      sink.report(
        DiagnosticCodes.adjusted,
        rule.source,
        `static_rules entry has no priority: ${priority} is used, as keepalived assigns it`,
        'give every rule a priority, so their order does not depend on their position in the file',
        KEEPALIVED_REPORTS,
      );
      return { ...rule, priority };
    });
  const early = statics.first ? numberStatics() : null;
  const numbered = instances.map((instance) => {
    if (!instance.virtualRules.some((rule) => rule.priority === null)) return instance;
    const virtualRules = instance.virtualRules.map((rule) => {
      if (rule.priority !== null) return rule;
      const priority = next[rule.family]--;
      sink.report(
        DiagnosticCodes.adjusted,
        rule.source,
        `virtual_rules entry of vrrp_instance ${instance.name} has no priority: ${priority} is used, as keepalived assigns it`,
        'give every rule a priority, so their order does not depend on their position in the file',
        KEEPALIVED_REPORTS,
      );
      return { ...rule, priority };
    });
    return { ...instance, virtualRules };
  });
  return { instances: numbered, staticRules: early ?? numberStatics() };
}
