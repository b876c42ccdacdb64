// Renders the keyword tables as the Markdown of docs/config-reference.md, so the documented
// compatibility is the parser's behaviour: a test fails when the document and the tables differ.

import { ALL_TABLES } from '../keywords/index.js';
import type { KeywordStatus, TableDescription } from '../keywords/types.js';
import { KEEPALIVED_REFUSED_ROUTE_WORDS, REFUSED_ROUTE_WORDS, ROUTE_OPTIONS } from '../values/route.js';
import { KEEPALIVED_REFUSED_RULE_WORDS, REFUSED_RULE_WORDS, RULE_OPTIONS } from '../values/rule.js';
import { VIP_OPTIONS } from '../values/vip.js';

export const GENERATED_BEGIN =
  '<!-- BEGIN GENERATED: keyword tables (src/config/render/reference-table.ts) -->';
export const GENERATED_END = '<!-- END GENERATED: keyword tables -->';

const STATUS_LABEL: Readonly<Record<KeywordStatus, string>> = {
  supported: 'supported',
  ignored: 'ignored, warning',
  refused: 'refused, error',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Ending with one full stop: docs double as message fragments, which carry none. */
function sentence(text: string): string {
  return `${text.replace(/\.$/, '')}.`;
}

function code(text: string): string {
  return text === '' || text === '…' ? '' : `\`${cell(text)}\``;
}

function renderTable(table: TableDescription): string[] {
  const lines = [
    `### ${table.block === 'top level' ? 'Top level' : `\`${table.block}\``}`,
    '',
    '| Keyword | Arguments | Default | Status | Notes |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const spec of table.keywords) {
    const notes = sentence(spec.hint ? `${spec.doc.replace(/\.$/, '')} (${spec.hint})` : spec.doc);
    const defaultValue = cell(spec.defaultValue ?? '');
    lines.push(
      `| \`${spec.name}\` | ${code(spec.syntax)} | ${defaultValue} | ${STATUS_LABEL[spec.status]} | ${cell(notes)} |`,
    );
  }
  return lines;
}

function words(list: readonly string[]): string {
  return list.length === 0 ? 'none' : list.map((o) => `\`${o}\``).join(', ');
}

function renderOptions(
  title: string,
  accepted: readonly string[],
  refused: readonly string[],
  keepalivedRefuses: readonly string[],
): string[] {
  const lines = [
    `### ${title}`,
    '',
    `Accepted: ${words(accepted)}.`,
    '',
    `Refused with an error (keepalived accepts them, vrrpd does not apply them): ${words(refused)}.`,
  ];
  if (keepalivedRefuses.length > 0) {
    lines.push(
      '',
      `Refused by keepalived 2.2.7 as well (the line is dropped, as keepalived drops it): ${words(keepalivedRefuses)}.`,
    );
  }
  return lines;
}

/** The generated part of the reference, markers included. */
export function renderKeywordReference(): string {
  const parts: string[][] = [[GENERATED_BEGIN, '']];
  for (const table of ALL_TABLES) parts.push([...renderTable(table), '']);
  parts.push([...renderOptions('`virtual_ipaddress` entry options', VIP_OPTIONS, [], []), '']);
  parts.push([
    ...renderOptions(
      '`virtual_routes` entry words',
      ROUTE_OPTIONS,
      REFUSED_ROUTE_WORDS,
      KEEPALIVED_REFUSED_ROUTE_WORDS,
    ),
    '',
  ]);
  parts.push([
    ...renderOptions(
      '`virtual_rules` entry words',
      RULE_OPTIONS,
      REFUSED_RULE_WORDS,
      KEEPALIVED_REFUSED_RULE_WORDS,
    ),
    '',
  ]);
  parts.push([GENERATED_END]);
  return parts.flat().join('\n');
}
