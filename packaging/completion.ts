// Generates a bash-completion script (for /usr/share/bash-completion/completions/NAME) from a commander
// program: options, subcommands and what each option's argument is (a file, a directory, a group,
// one of its choices) all come from the definitions that print --help. vrrpctl's instance arguments
// complete with the names a running vrrpd reports (`vrrpctl status --json`, one second at most).

import type { Command, Option } from 'commander';

/** How bash should complete an option's value, from its choices or its placeholder's name. */
function valueCompletion(option: Option): string {
  if (option.argChoices) return `COMPREPLY=($(compgen -W '${option.argChoices.join(' ')}' -- "$cur"))`;
  const placeholder = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1] ?? '';
  if (/dir/i.test(placeholder)) return '_filedir -d';
  if (/file|path/i.test(placeholder)) return '_filedir';
  if (/group/i.test(placeholder)) return 'COMPREPLY=($(compgen -g -- "$cur"))';
  return ':';
}

function flagsOf(option: Option): string[] {
  return [option.short, option.long].filter((flag): flag is string => typeof flag === 'string');
}

function takesValue(option: Option): boolean {
  return option.required || option.optional;
}

function visibleOptions(command: Command): Option[] {
  return command.createHelp().visibleOptions(command);
}

function words(options: Option[]): string {
  return options.flatMap(flagsOf).join(' ');
}

/** `case $prev` arms completing option values (every option of the program and its subcommands). */
function valueArms(commands: Command[]): string[] {
  const seen = new Set<string>();
  const arms: string[] = [];
  for (const command of commands) {
    for (const option of visibleOptions(command).filter(takesValue)) {
      const flags = flagsOf(option).filter((flag) => !seen.has(flag));
      if (flags.length === 0) continue;
      for (const flag of flags) seen.add(flag);
      arms.push(`        ${flags.join('|')}) ${valueCompletion(option)}; return ;;`);
    }
  }
  return arms;
}

function identifier(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

function singleCommandScript(program: Command): string[] {
  const fn = `_${identifier(program.name())}`;
  return [
    `${fn}()`,
    '{',
    '    local cur prev words cword split',
    '    _init_completion -s || return',
    '    case $prev in',
    ...valueArms([program]),
    '    esac',
    '    $split && return',
    `    COMPREPLY=($(compgen -W '${words(visibleOptions(program))}' -- "$cur"))`,
    '}',
    `complete -F ${fn} ${program.name()}`,
  ];
}

function subcommandScript(program: Command): string[] {
  const name = program.name();
  const fn = `_${identifier(name)}`;
  const help = program.createHelp();
  const commands = help.visibleCommands(program);
  const rootValueOptions = visibleOptions(program).filter(takesValue);
  const socketOption = rootValueOptions.find((option) => option.long === '--socket');
  // Option values are not the subcommand nor its arguments: `handover --reason upgrade GATEWAY`.
  const skipValue = [
    ...new Set(
      [program, ...commands]
        .flatMap((command) => visibleOptions(command).filter(takesValue))
        .filter((option) => option !== socketOption)
        .flatMap(flagsOf),
    ),
  ].join('|');
  const arms = commands.map((command) => {
    // registeredArguments, not visibleArguments: the latter hides arguments without a description.
    const argument = command.registeredArguments[0];
    let positional = ':';
    if (argument?.name() === 'instance')
      positional = `COMPREPLY=($(compgen -W "$(${fn}_instances)" -- "$cur"))`;
    else if (argument?.name() === 'command')
      positional = `COMPREPLY=($(compgen -W '${commands.map((c) => c.name()).join(' ')}' -- "$cur"))`;
    const options = words(visibleOptions(command));
    return [
      `        ${command.name()})`,
      ...(options
        ? [
            '            if [[ $cur == -* ]]; then',
            `                COMPREPLY=($(compgen -W '${options}' -- "$cur"))`,
          ]
        : []),
      `            ${options ? 'elif' : 'if'} [[ $cur != -* ]] && ((positionals == 0)); then`,
      `                ${positional}`,
      '            fi ;;',
    ].join('\n');
  });
  return [
    `# Instance names from the running daemon (the "instances" array of \`${name} status --json\`).`,
    `${fn}_instances()`,
    '{',
    `    "\${words[0]}" "\${socket[@]}" --timeout 1 status --json 2>/dev/null |`,
    '        awk \'/^  "instances": \\[/ { inside = 1; next }',
    '             inside && /^  [\\]}]/ { exit }',
    '             inside && /^      "name": "/ { sub(/^      "name": "/, ""); sub(/",?$/, ""); print }\'',
    '}',
    '',
    `${fn}()`,
    '{',
    '    local cur prev words cword split',
    '    _init_completion -s || return',
    '    case $prev in',
    ...valueArms([program, ...commands]),
    '    esac',
    '    $split && return',
    '',
    '    # The subcommand is the first word that is neither an option nor an option value.',
    '    local i command= positionals=0 socket=()',
    '    for ((i = 1; i < cword; i++)); do',
    '        case ${words[i]} in',
    ...(socketOption
      ? [`            ${flagsOf(socketOption).join('|')}) socket=(--socket "\${words[i + 1]}"); ((i++)) ;;`]
      : []),
    ...(skipValue ? [`            ${skipValue}) ((i++)) ;;`] : []),
    '            -*) ;;',
    '            *) if [[ -z $command ]]; then command=${words[i]}; else positionals=$((positionals + 1)); fi ;;',
    '        esac',
    '    done',
    '',
    '    case $command in',
    '        "")',
    '            if [[ $cur == -* ]]; then',
    `                COMPREPLY=($(compgen -W '${words(visibleOptions(program))}' -- "$cur"))`,
    '            else',
    `                COMPREPLY=($(compgen -W '${commands.map((c) => c.name()).join(' ')}' -- "$cur"))`,
    '            fi ;;',
    ...arms,
    '    esac',
    '}',
    `complete -F ${fn} ${name}`,
  ];
}

/** The completion script for `program` (bash, using bash-completion's helpers). */
export function bashCompletion(program: Command): string {
  const body = program.commands.length > 0 ? subcommandScript(program) : singleCommandScript(program);
  return [
    `# bash completion for ${program.name()}                         -*- shell-script -*-`,
    `# Generated from ${program.name()}'s command definitions by packaging/completion.ts; do not edit.`,
    '',
    ...body,
    '',
    '# ex: filetype=sh',
    '',
  ].join('\n');
}
