// What a catalogue entry is, and how its template becomes a line's text. Its own file so the
// catalogue can be split by subject (messages.ts, messages-uplinks.ts) without an import cycle.

import type { LogFields, LogLevel } from './log.js';

export interface LogMessage {
  readonly code: string;
  readonly level: LogLevel;
  /** Text with {field} placeholders, filled from the line's fields. */
  readonly template: string;
  /** What it means and what to do, for docs/log-messages.md. */
  readonly meaning: string;
}

export const logMessage = (code: string, level: LogLevel, template: string, meaning: string): LogMessage => ({
  code,
  level,
  template,
  meaning,
});

const PLACEHOLDER = /\{(\w+)\}/g;

/** The template with each {field} replaced by the field's value (strings as they are, others as JSON). */
export function fillTemplate(template: string, fields: LogFields): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = fields[name];
    if (value === undefined) return whole;
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}
