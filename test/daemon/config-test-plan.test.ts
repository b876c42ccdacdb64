// Issue 12: every check the runtime makes is made by the config test first. Whatever `vrrpd -t`
// accepts — every example, every corpus file, the fuzzer's seeds and generated configurations —
// must become a daemon plan (planDaemon) and core instances (createInstance, as the daemon builds
// them at start and on reload) without a throw. A throw here means the config test let through
// something the runtime refuses: the check belongs in src/config.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configTest, KEEPALIVED_EXIT } from '../../src/cli/config-commands.js';
import type { ConfigFileSource } from '../../src/config/language/file-source.js';
import { memoryFileSource } from '../../src/config/language/file-source.js';
import type { VrrpdConfig } from '../../src/config/model/types.js';
import { nodeFileSource } from '../../src/daemon/config-files.js';
import { planDaemon } from '../../src/daemon/plan.js';
import { createInstance } from '../../src/vrrp/index.js';
import { anyConfig, CI_SCALE, configSeeds } from '../fuzz/config-fuzz.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** What the daemon does with an accepted configuration, up to the kernel. */
function runWhatTheDaemonRuns(config: VrrpdConfig): void {
  const plan = planDaemon(config);
  for (const instance of plan.instances) {
    // The daemon starts an instance without a source address yet as 0.0.0.0 / :: (then FAULT),
    // and with its link-local (IPv6) or primary (IPv4) address once it has one.
    const ipv6 = instance.family === 'ipv6';
    createInstance({ ...instance.core, primaryAddress: ipv6 ? '::' : '0.0.0.0' });
    createInstance({ ...instance.core, primaryAddress: ipv6 ? 'fe80::1' : '192.0.2.1' });
  }
}

interface FileCase {
  name: string;
  file: string;
  configId: string;
  files?: ConfigFileSource;
}

function fileCases(): FileCase[] {
  const cases: FileCase[] = [];
  const examples = here('../../examples');
  const installed: ConfigFileSource = {
    readFile: (path) =>
      nodeFileSource().readFile(
        path === '/etc/netgwm/netgwm.yml' ? join(examples, 'uplinks/netgwm.yml') : path,
      ),
    listDirectory: (path) => nodeFileSource().listDirectory(path),
  };
  for (const dir of readdirSync(examples).sort()) {
    if (dir === 'scripts' || !statSync(join(examples, dir)).isDirectory()) continue;
    for (const configId of ['router1', 'router2'])
      cases.push({
        name: `examples/${dir} (${configId})`,
        file: join(examples, dir, 'keepalived.conf'),
        configId,
        files: installed,
      });
  }
  const corpus = here('../config/corpus');
  for (const name of readdirSync(corpus).sort()) {
    const file = name.endsWith('.conf') ? join(corpus, name) : join(corpus, name, 'keepalived.conf');
    if (!name.endsWith('.conf') && !statSync(join(corpus, name)).isDirectory()) continue;
    for (const configId of ['main', 'backup', 'router9'])
      cases.push({ name: `corpus/${name} (${configId})`, file, configId });
  }
  return cases;
}

describe('what vrrpd -t accepts, the daemon runs', () => {
  for (const testCase of fileCases()) {
    it(testCase.name, () => {
      const outcome = configTest({
        file: testCase.file,
        configId: testCase.configId,
        ...(testCase.files ? { files: testCase.files } : {}),
      });
      if (outcome.exitCode === KEEPALIVED_EXIT.CONFIG) return; // refused: nothing to run
      expect(() => runWhatTheDaemonRuns(outcome.result.config)).not.toThrow();
    });
  }

  it('the fuzzer seeds (examples and corpus, whole and mutated) too', () => {
    let accepted = 0;
    for (const seed of configSeeds()) {
      const outcome = configTest({ file: seed.entry, configId: 'main', files: memoryFileSource(seed.files) });
      if (outcome.exitCode === KEEPALIVED_EXIT.CONFIG) continue;
      accepted++;
      expect(() => runWhatTheDaemonRuns(outcome.result.config), seed.entry).not.toThrow();
    }
    expect(accepted).toBeGreaterThan(0);
  });

  it('and generated configurations: no accepted one throws at plan time', () => {
    let accepted = 0;
    fc.assert(
      fc.property(anyConfig(CI_SCALE), (input) => {
        const outcome = configTest({
          file: input.entry,
          configId: 'main',
          files: memoryFileSource(input.files),
        });
        if (outcome.exitCode === KEEPALIVED_EXIT.CONFIG) return;
        accepted++;
        runWhatTheDaemonRuns(outcome.result.config);
      }),
      { numRuns: 300 },
    );
    // Most mutations break something vrrpd refuses; enough must get through to mean anything.
    expect(accepted).toBeGreaterThan(20);
  });
});
