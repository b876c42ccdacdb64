// Script argv splitting. Expected argv values are what keepalived 2.2.7 prints for the same lines
// (`keepalived -d`: "Master state transition script = '/usr/bin/echo' 'arg1' 'arg two' …"), except
// that keepalived also resolves the program through PATH, which is the scripts runner's business.
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/parse-config.js';
import { splitScriptCommand } from '../../src/config/values/script-command.js';

function notifyOf(line: string): unknown {
  const result = parseConfigText(
    [
      'vrrp_instance VI_1 {',
      '  interface eth0',
      '  virtual_router_id 1',
      '  virtual_ipaddress {',
      '    192.0.2.1',
      '  }',
      `  ${line}`,
      '}',
    ].join('\n'),
  );
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const notify = result.config.instances[0]?.notify;
  return notify && (notify.master ?? notify.backup ?? notify.fault ?? notify.stop ?? notify.any);
}

describe('splitScriptCommand', () => {
  it('splits on whitespace', () => {
    expect(splitScriptCommand('/srv/keep.sh')).toEqual({ ok: true, argv: ['/srv/keep.sh'] });
    expect(splitScriptCommand('  /a  b\tc ')).toEqual({ ok: true, argv: ['/a', 'b', 'c'] });
  });

  it('groups with single and double quotes and removes them', () => {
    expect(splitScriptCommand(`/path/script arg1 'arg two'`)).toEqual({
      ok: true,
      argv: ['/path/script', 'arg1', 'arg two'],
    });
    expect(splitScriptCommand(`/bin/echo 'a b'c d`)).toEqual({ ok: true, argv: ['/bin/echo', 'a bc', 'd'] });
    expect(splitScriptCommand(`/bin/echo A"q"`)).toEqual({ ok: true, argv: ['/bin/echo', 'Aq'] });
    expect(splitScriptCommand(`/bin/echo ''`)).toEqual({ ok: true, argv: ['/bin/echo', ''] });
  });

  it('makes the character after a backslash literal, also inside quotes', () => {
    expect(splitScriptCommand(`/bin/echo 'x\\'y' z`)).toEqual({ ok: true, argv: ['/bin/echo', "x'y", 'z'] });
    expect(splitScriptCommand(`/bin/echo "p\\"q" r`)).toEqual({ ok: true, argv: ['/bin/echo', 'p"q', 'r'] });
    expect(splitScriptCommand('/bin/echo a\\ b')).toEqual({ ok: true, argv: ['/bin/echo', 'a b'] });
  });

  it('refuses an unterminated quote and an empty command', () => {
    expect(splitScriptCommand(`/bin/echo 'oops`)).toEqual({
      ok: false,
      message: `missing closing ' in script command '/bin/echo 'oops'`,
    });
    expect(splitScriptCommand('   ')).toEqual({ ok: false, message: 'script command is empty' });
  });
});

describe('notify lines, through the whole parser', () => {
  it('reads a plain path (the seed article: notify /srv/keep.sh)', () => {
    expect(notifyOf('notify /srv/keep.sh')).toEqual({
      command: '/srv/keep.sh',
      argv: ['/srv/keep.sh'],
      source: { file: '/etc/keepalived/keepalived.conf', line: 7 },
    });
  });

  it('reads a quoted command with arguments, then user and group', () => {
    expect(notifyOf(`notify_master "/path/script arg1 'arg two'" nobody nogroup`)).toEqual({
      command: `/path/script arg1 'arg two'`,
      argv: ['/path/script', 'arg1', 'arg two'],
      user: 'nobody',
      group: 'nogroup',
      source: { file: '/etc/keepalived/keepalived.conf', line: 7 },
    });
  });

  it('matches keepalived on escapes decoded by the config lexer before splitting', () => {
    expect(notifyOf(`notify_master "/bin/echo arg1 'arg two' \\x41\\"q\\"" root`)).toMatchObject({
      argv: ['/bin/echo', 'arg1', 'arg two', 'Aq'],
      user: 'root',
    });
    expect(notifyOf(`notify_backup "/bin/echo 'x\\\\'y' z"`)).toMatchObject({
      argv: ['/bin/echo', "x'y", 'z'],
    });
    expect(notifyOf(`notify_fault "/bin/echo \\"p\\\\\\"q\\" r"`)).toMatchObject({
      argv: ['/bin/echo', 'p"q', 'r'],
    });
    expect(notifyOf(`notify_stop "/bin/echo 'a b'c d\\ e"`)).toMatchObject({
      argv: ['/bin/echo', 'a bc', 'd', 'e'],
    });
    expect(notifyOf(`notify /bin/echo" a  b "'c'`)).toMatchObject({ argv: ['/bin/echo', 'a', 'b', 'c'] });
    expect(notifyOf(`notify "/bin/echo \${_HASH}x \${_BANG}y"`)).toMatchObject({
      argv: ['/bin/echo', '#x', '!y'],
    });
  });

  it('ignores unquoted words beyond user and group, as keepalived does, with the quoted form as hint', () => {
    const result = parseConfigText(
      'vrrp_instance V { interface eth0\nvirtual_router_id 1\nnotify_master /bin/echo a b c\n}',
    );
    expect(result.diagnostics).toContainEqual({
      severity: 'warning',
      code: 'VRRPD_W_CONFIG_VALUE',
      file: '/etc/keepalived/keepalived.conf',
      line: 3,
      message: "'notify_master' takes 1 to 3 arguments: 'c' is ignored, as keepalived ignores it",
      hint: 'keepalived reads the two words after the script as its user and group; quote the whole command to pass arguments: notify_master "/path/to/script arg1 arg2"',
      // keepalived ignores the word without a report: it does not make -t exit 5.
      keepalivedReports: false,
    });
    expect(result.config.instances[0]?.notify.master).toMatchObject({
      argv: ['/bin/echo'],
      user: 'a',
      group: 'b',
    });
  });
});
