// pino JSON to stdout (journald captures it); human-readable through pino-pretty when stdout is a
// TTY. One logger for the whole daemon; modules take child loggers with their own bindings.

import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
  /** Force pretty (true) or JSON (false) output; default: pretty only on a TTY. */
  pretty?: boolean;
  /** Destination for JSON lines (tests pass a stream); default stdout. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const usePretty = options.pretty ?? (options.destination === undefined && process.stdout.isTTY === true);
  const base = { level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  if (usePretty) {
    return pino(base, pretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid' }));
  }
  // sync: a line must be on disk/journal before a crash or SIGKILL, and lines stay in order.
  return pino(base, options.destination ?? pino.destination({ dest: 1, sync: true }));
}
