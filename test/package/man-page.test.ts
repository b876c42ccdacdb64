// vrrpd(8) and vrrpctl(8) are generated from the command definitions that print --help: every option
// and command --help shows must be in the page, with its description, and the page must be roff that
// man(1) renders without a warning.

import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { vrrpctlManPage, vrrpdManPage } from '../../packaging/man-pages.js';
import { roffEscape, roffTerm } from '../../packaging/man-page.js';
import { KEEPALIVED_EXIT } from '../../src/cli/config-commands.js';
import { vrrpctlDefinitions, VrrpctlExit } from '../../src/cli/vrrpctl-program.js';
import { vrrpdProgram } from '../../src/cli/vrrpd-program.js';

const vrrpctl = vrrpctlDefinitions;

/** The page as a reader sees its words: font switches removed, escapes undone. */
function plain(roff: string): string {
  return roff
    .replace(/\\f[BIRP]/g, '')
    .replace(/\\-/g, '-')
    .replace(/\\e/g, '\\')
    .replace(/\\&/g, '');
}

/** Each "Options:" / "Commands:" entry of a --help text: the term and the first words of its text. */
function helpEntries(help: string): Array<{ term: string; text: string }> {
  return help
    .split('\n')
    .map((line) => /^ {2}(\S.*?)\s{2,}(\S.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ term: match[1]!, text: match[2]! }));
}

function everyHelp(program: Command): string[] {
  return [program.helpInformation(), ...program.commands.map((command) => command.helpInformation())];
}

describe.each([
  ['vrrpd', vrrpdProgram, () => vrrpdManPage('9.9.9', '2026-01-02')],
  ['vrrpctl', vrrpctl, () => vrrpctlManPage('9.9.9', '2026-01-02')],
])('%s(8)', (name, program, page) => {
  const text = plain(page());

  it('has the header, name line and the sections a man page needs', () => {
    expect(page()).toMatch(
      new RegExp(`^\\.TH ${name.toUpperCase()} 8 "2026-01-02" "${name} 9\\.9\\.9"`, 'm'),
    );
    for (const section of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'EXIT STATUS', 'FILES', 'SEE ALSO'])
      expect(page()).toMatch(new RegExp(`^\\.SH ${section}$`, 'm'));
  });

  it('documents every option and command that --help lists, with its description', () => {
    const entries = everyHelp(program()).flatMap(helpEntries);
    expect(entries.length).toBeGreaterThan(5);
    for (const { term, text: description } of entries) {
      expect(text, term).toContain(term);
      // Long descriptions wrap in --help; the first words are enough to tie the two together.
      expect(text, term).toContain(description.split(' ').slice(0, 4).join(' '));
    }
  });

  it.runIf(spawnSync('man', ['--version']).status === 0)('renders without a groff warning', () => {
    const rendered = spawnSync('man', ['--warnings', '-l', '-'], {
      input: page(),
      encoding: 'utf8',
      env: { ...process.env, MANWIDTH: '80', MAN_KEEP_FORMATTING: '0' },
    });
    expect(rendered.stderr).toBe('');
    expect(rendered.stdout).toContain(name);
  });
});

describe('hand-written parts', () => {
  it('lists keepalived’s accepted flags (hidden from --help) in vrrpd(8)', () => {
    const text = plain(vrrpdManPage('1', '2026-01-02'));
    const hidden = vrrpdProgram().options.filter((option) => option.hidden);
    expect(hidden.map((option) => option.long)).toContain('--dont-fork');
    for (const option of hidden) expect(text).toContain(option.flags.split(' ')[0]!.replace(/,$/, ''));
    expect(text).toContain('KEEPALIVED COMPATIBILITY');
  });

  it('gives every exit status the code returns', () => {
    const vrrpd = plain(vrrpdManPage('1', '2026-01-02'));
    for (const code of Object.values(KEEPALIVED_EXIT))
      expect(vrrpd).toMatch(new RegExp(`^\\.TP\\n${code}\\n`, 'm'));
    const ctl = plain(vrrpctlManPage('1', '2026-01-02'));
    for (const code of Object.values(VrrpctlExit))
      expect(ctl).toMatch(new RegExp(`^\\.TP\\n${code}\\n`, 'm'));
  });

  it('escapes roff: minus signs, backslashes, lines starting with a dot', () => {
    expect(roffEscape('--socket')).toBe('\\-\\-socket');
    expect(roffEscape('a\\b')).toBe('a\\eb');
    expect(roffEscape(".hidden\n'quote")).toBe("\\&.hidden\n\\&'quote");
    expect(roffTerm('-f, --use-file <FILE>')).toBe('\\fB\\-f\\fR, \\fB\\-\\-use\\-file\\fR <\\fIFILE\\fR>');
    expect(roffTerm('status [options] [instance]')).toBe(
      '\\fBstatus\\fR [\\fIoptions\\fR] [\\fIinstance\\fR]',
    );
  });
});
