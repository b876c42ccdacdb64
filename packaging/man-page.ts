// Renders a man page (roff, man(7) macros) from a commander program: the synopsis, the options and the
// subcommands come from the same definitions, through commander's own Help formatter, that print
// `--help`, so the man page cannot drift from the CLI. Hand-written sections (files, signals, exit
// statuses, examples) are passed in as data.

import type { Command, Option } from 'commander';

/** One block of a hand-written section. */
export type ManBlock =
  | { paragraph: string }
  /** A definition list: each term in bold (with <ARG> in italics), its text indented below. */
  | { items: Array<[term: string, text: string]> }
  /** Lines shown verbatim, indented (commands, file excerpts). */
  | { code: string[] };

export interface ManSection {
  title: string;
  blocks: ManBlock[];
}

export interface ManPageSpec {
  program: Command;
  section: number;
  /** Release date, YYYY-MM-DD (reproducible builds: the last commit's date, not today). */
  date: string;
  version: string;
  /** The one line after the name in NAME (apropos(1) shows it). */
  summary: string;
  /** Paragraphs after the program's own description in DESCRIPTION. */
  description: string[];
  /** Title of the section listing options hidden from --help (keepalived's accepted flags). */
  hiddenOptionsTitle?: string;
  hiddenOptionsIntro?: string;
  sections: ManSection[];
}

/** Escapes text for roff: backslashes, minus signs (so options copy and paste), leading dots. */
export function roffEscape(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/^([.'])/gm, '\\&$1');
}

/** "-f, --use-file <FILE>" → bold flags, italic placeholders. */
export function roffTerm(term: string): string {
  return term
    .split(/(\s+|,\s*)/)
    .map((token) => {
      if (token.trim() === '' || /^,\s*$/.test(token)) return roffEscape(token);
      const placeholder = /^([<[])(.*?)([>\]]\.*)$/.exec(token);
      if (placeholder) return `${placeholder[1]}\\fI${roffEscape(placeholder[2]!)}\\fR${placeholder[3]}`;
      return `\\fB${roffEscape(token)}\\fR`;
    })
    .join('');
}

function renderBlock(block: ManBlock): string[] {
  if ('paragraph' in block) return ['.PP', roffEscape(block.paragraph)];
  if ('items' in block)
    return block.items.flatMap(([term, text]) => ['.TP', roffTerm(term), roffEscape(text)]);
  return ['.PP', '.RS 4', '.nf', ...block.code.map(roffEscape), '.fi', '.RE'];
}

function optionItems(program: Command, options: readonly Option[]): string[] {
  const help = program.createHelp();
  return options.flatMap((option) => [
    '.TP',
    roffTerm(help.optionTerm(option)),
    roffEscape(help.optionDescription(option)),
  ]);
}

/** Every visible subcommand, nested ones (`uplink pin`) after their parent with its name in front. */
function visibleCommandsDeep(program: Command, prefix = ''): Array<{ command: Command; prefix: string }> {
  const help = program.createHelp();
  return help
    .visibleCommands(program)
    .flatMap((command) => [
      { command, prefix },
      ...visibleCommandsDeep(command, `${prefix}${command.name()} `),
    ]);
}

function commandsSection(program: Command): string[] {
  const help = program.createHelp();
  const commands = visibleCommandsDeep(program);
  if (commands.length === 0) return [];
  const lines = ['.SH COMMANDS'];
  for (const { command, prefix } of commands) {
    if (command.name() === 'help' && prefix !== '') continue;
    lines.push('.TP', roffTerm(prefix + help.subcommandTerm(command)), roffEscape(command.description()));
    const options = help.visibleOptions(command);
    const args = help.visibleArguments(command);
    if (options.length === 0 && args.length === 0) continue;
    lines.push('.RS');
    for (const argument of args) {
      lines.push(
        '.TP',
        roffTerm(help.argumentTerm(argument)),
        roffEscape(help.argumentDescription(argument)),
      );
    }
    lines.push(...optionItems(command, options), '.RE');
  }
  return lines;
}

/** The whole page as roff source. */
export function renderManPage(spec: ManPageSpec): string {
  const { program } = spec;
  const name = program.name();
  const help = program.createHelp();
  const hidden = program.options.filter((option) => option.hidden);
  const lines = [
    `.\\" Generated from the ${name} command definitions by packaging/man-page.ts; do not edit.`,
    `.TH ${name.toUpperCase()} ${spec.section} "${spec.date}" "${name} ${spec.version}" "System Administration"`,
    '.SH NAME',
    `${roffEscape(name)} \\- ${roffEscape(spec.summary)}`,
    '.SH SYNOPSIS',
    roffTerm(`${name} ${help.commandUsage(program).replace(/^\S+\s*/, '')}`.trim()),
    '.SH DESCRIPTION',
    roffEscape(program.description()),
    ...spec.description.flatMap((text) => ['.PP', roffEscape(text)]),
    '.SH OPTIONS',
    ...optionItems(program, help.visibleOptions(program)),
    ...commandsSection(program),
  ];
  if (hidden.length > 0) {
    lines.push(`.SH ${roffEscape((spec.hiddenOptionsTitle ?? 'other options').toUpperCase())}`);
    if (spec.hiddenOptionsIntro) lines.push(roffEscape(spec.hiddenOptionsIntro));
    lines.push(...optionItems(program, hidden));
  }
  for (const section of spec.sections) {
    lines.push(`.SH ${roffEscape(section.title.toUpperCase())}`);
    section.blocks.forEach((block, index) => {
      // The first paragraph follows the heading directly; .PP there would add a blank line.
      const rendered = renderBlock(block);
      lines.push(...(index === 0 && rendered[0] === '.PP' ? rendered.slice(1) : rendered));
    });
  }
  return `${lines.join('\n')}\n`;
}
