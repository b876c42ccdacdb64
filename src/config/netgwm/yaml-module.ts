// The `yaml` package, loaded on first use. Only a configuration with an uplink_group (or
// `vrrpd --uplinks-only`) reads YAML, and the package costs about 8 MiB of resident memory once
// loaded (issue 15; test/bench/module-cost.ts), so a plain keepalived.conf never loads it. The
// require is synchronous so netgwm.yml is still parsed like keepalived.conf, in one call.

import { createRequire } from 'node:module';

type YamlModule = typeof import('yaml');

let loaded: YamlModule | null = null;

export function yamlModule(): YamlModule {
  loaded ??= createRequire(import.meta.url)('yaml') as YamlModule;
  return loaded;
}
