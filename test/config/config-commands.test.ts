// `vrrpd --config-test` / `--dump-config` as functions: output lines and keepalived's exit statuses.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configTest, dumpConfig, KEEPALIVED_EXIT } from '../../src/cli/config-commands.js';
import { memoryFileSource } from '../../src/config/language/file-source.js';
import type { VrrpdConfig } from '../../src/config/model/types.js';

const good =
  'vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 9\n  virtual_ipaddress {\n    192.0.2.9/24\n  }\n}\n';

describe('configTest', () => {
  it('exits 0 with a one-line summary for a clean file', () => {
    const outcome = configTest({
      file: '/k.conf',
      configId: 'a',
      files: memoryFileSource({ '/k.conf': good }),
    });
    expect(outcome).toMatchObject({ exitCode: 0, lines: ['/k.conf: configuration OK'] });
  });

  it('exits 0 with warnings listed when the configuration can run', () => {
    const text = `global_defs {\n  smtp_server 192.0.2.25\n}\n${good}`;
    const outcome = configTest({
      file: '/k.conf',
      configId: 'a',
      files: memoryFileSource({ '/k.conf': text }),
    });
    expect(outcome.exitCode).toBe(KEEPALIVED_EXIT.OK);
    expect(outcome.lines).toEqual([
      "/k.conf:2: warning: 'smtp_server' is ignored: vrrpd sends no e-mail [VRRPD_W_CONFIG_IGNORED]",
      '  hint: use a notify script or the notify FIFO to send alerts',
      '/k.conf: configuration OK, 1 warning',
    ]);
  });

  it('prints every problem at once; a configuration vrrpd will not run exits 4, as keepalived', () => {
    const text = good.replace('virtual_router_id 9', 'virtual_router_id 0\n  state Backup\n  priorty 5');
    const outcome = configTest({
      file: '/k.conf',
      configId: 'a',
      files: memoryFileSource({ '/k.conf': text }),
    });
    expect(outcome.exitCode).toBe(KEEPALIVED_EXIT.CONFIG);
    expect(outcome.lines).toEqual([
      '/k.conf:3: error: virtual_router_id 0 is out of range (1-255) [VRRPD_E_CONFIG_VALUE]',
      "/k.conf:4: warning: invalid state 'Backup' in vrrp_instance VI_1: expected MASTER or BACKUP: the instance starts as BACKUP, as keepalived starts it [VRRPD_W_CONFIG_VALUE]",
      "  hint: did you mean 'BACKUP'? keywords and values are case-sensitive",
      "/k.conf:5: warning: unknown keyword 'priorty' in vrrp_instance VI_1: skipped, as keepalived skips it [VRRPD_W_CONFIG_KEYWORD]",
      "  hint: did you mean 'priority'?",
      '/k.conf: 1 error, 2 warnings; vrrpd will not run this configuration',
    ]);
  });

  it("runs past what keepalived runs past, exiting 5 as keepalived's -t does; --strict refuses it", () => {
    const text = good.replace('virtual_router_id 9', 'virtual_router_id 9\n  state Backup\n  priorty 5');
    const files = memoryFileSource({ '/k.conf': text });
    const lenient = configTest({ file: '/k.conf', configId: 'a', files });
    expect(lenient.exitCode).toBe(KEEPALIVED_EXIT.CONFIG_TEST);
    expect(lenient.result.ok).toBe(true);
    expect(lenient.lines.at(-1)).toBe(
      '/k.conf: configuration runs, 2 warnings; 2 of them are mistakes keepalived also reports and runs past, as vrrpd does (`vrrpd -t --strict` refuses them)',
    );
    const strict = configTest({ file: '/k.conf', configId: 'a', files, strict: true });
    expect(strict.exitCode).toBe(KEEPALIVED_EXIT.CONFIG);
    expect(strict.lines).toEqual([
      "/k.conf:4: error: invalid state 'Backup' in vrrp_instance VI_1: expected MASTER or BACKUP [VRRPD_E_CONFIG_VALUE]",
      "  hint: did you mean 'BACKUP'? keywords and values are case-sensitive",
      "/k.conf:5: error: unknown keyword 'priorty' in vrrp_instance VI_1 [VRRPD_E_CONFIG_KEYWORD]",
      "  hint: did you mean 'priority'?",
      '/k.conf: 2 errors, 0 warnings; vrrpd will not run this configuration',
    ]);
  });

  it('fails, as keepalived does, when an interface the file names does not exist; offline it is not checked', () => {
    const files = memoryFileSource({ '/k.conf': good });
    const onHost = configTest({ file: '/k.conf', configId: 'a', files, interfaces: new Set(['lo', 'eth1']) });
    expect(onHost.exitCode).toBe(KEEPALIVED_EXIT.CONFIG);
    expect(onHost.lines).toEqual([
      "/k.conf:1: error: interface 'eth0' (interface of vrrp_instance VI_1) does not exist on this host: keepalived refuses to run this configuration [VRRPD_E_CONFIG_INTERFACE]",
      "  hint: did you mean 'eth1'?",
      '/k.conf: 1 error, 0 warnings; vrrpd will not run this configuration',
    ]);
    expect(
      configTest({ file: '/k.conf', configId: 'a', files, interfaces: new Set(['lo', 'eth0']) }).exitCode,
    ).toBe(KEEPALIVED_EXIT.OK);
    expect(configTest({ file: '/k.conf', configId: 'a', files }).exitCode).toBe(KEEPALIVED_EXIT.OK);
    // dynamic_interfaces: keepalived waits for the interface, so does vrrpd; a warning only.
    const dynamic = configTest({
      file: '/k.conf',
      configId: 'a',
      files: memoryFileSource({ '/k.conf': `global_defs {\n  dynamic_interfaces\n}\n${good}` }),
      interfaces: new Set(['lo']),
    });
    expect(dynamic.exitCode).toBe(KEEPALIVED_EXIT.OK);
    expect(dynamic.result.diagnostics.map((d) => d.code)).toEqual(['VRRPD_W_CONFIG_INTERFACE']);
  });

  describe('on the real filesystem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vrrpd-config-test-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('exits 4 (KEEPALIVED_EXIT_CONFIG) when the file cannot be read', () => {
      const file = join(dir, 'missing.conf');
      const outcome = configTest({ file, configId: 'a' });
      expect(outcome.exitCode).toBe(KEEPALIVED_EXIT.CONFIG);
      expect(outcome.lines).toEqual([
        `${file}: error: cannot read configuration file: no such file [VRRPD_E_CONFIG_FILE]`,
        `${file}: 1 error, 0 warnings; vrrpd will not run this configuration`,
      ]);
    });

    it('reads includes next to the file', () => {
      writeFileSync(join(dir, 'main.conf'), 'include conf.d/*.conf\n');
      rmSync(join(dir, 'conf.d'), { recursive: true, force: true });
      const outcome = configTest({ file: join(dir, 'main.conf'), configId: 'a' });
      expect(outcome.exitCode).toBe(0);
      expect(outcome.lines[0]).toBe(
        `${join(dir, 'main.conf')}:1: warning: include: no file matches 'conf.d/*.conf' [VRRPD_W_CONFIG_INCLUDE]`,
      );
    });
  });
});

describe('dumpConfig', () => {
  it('prints the resolved model as JSON, after conditionals and parameters', () => {
    const text = `$VIP=192.0.2.77\n@a $PRIO=150\n@b $PRIO=50\n${good.replace('virtual_router_id 9', 'virtual_router_id 9\n  priority $PRIO').replace('192.0.2.9/24', '${VIP}/24')}`;
    const forA = dumpConfig({ file: '/k.conf', configId: 'a', files: memoryFileSource({ '/k.conf': text }) });
    const forB = dumpConfig({ file: '/k.conf', configId: 'b', files: memoryFileSource({ '/k.conf': text }) });
    expect(forA.exitCode).toBe(0);
    const modelA = JSON.parse(forA.json) as VrrpdConfig;
    const modelB = JSON.parse(forB.json) as VrrpdConfig;
    expect(modelA.instances[0]).toMatchObject({
      priority: 150,
      vips: [{ address: '192.0.2.77', prefix: 24 }],
    });
    expect(modelB.instances[0]?.priority).toBe(50);
    expect(modelA.instances[0]?.source).toEqual({ file: '/k.conf', line: 4 });
    expect(forA.json).toBe(JSON.stringify(forA.result.config, null, 2));
  });

  it('still prints the partial model when there are errors, with a failing status', () => {
    const outcome = dumpConfig({
      file: '/k.conf',
      configId: 'a',
      files: memoryFileSource({ '/k.conf': `${good}vrrp_instance BROKEN {\n}\n` }),
    });
    expect(outcome.exitCode).toBe(KEEPALIVED_EXIT.CONFIG);
    expect((JSON.parse(outcome.json) as VrrpdConfig).instances.map((i) => i.name)).toEqual(['VI_1']);
    expect(outcome.lines.at(-1)).toBe('/k.conf: 2 errors, 1 warning; vrrpd will not run this configuration');
  });
});
