// The one logger type of the shell, and its implementation: one JSON object per line on stdout
// (journald captures it), in the shape pino writes (`level` as a number, `time`, `pid`, the
// fields, `msg`), so existing log pipelines keep working; a short human form when stdout is a TTY.
// Written synchronously: a line must be out before a crash or SIGKILL, and lines stay in order.
// Our own ~100 lines instead of pino + pino-pretty: they cost ~9 MiB of a daemon that targets
// 256 MiB routers, for features (transports, redaction, worker threads) we do not use.

import { readlinkSync, writeSync } from 'node:fs';
import { isoTime } from './iso-time.js';

export type LogFields = Record<string, unknown>;
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogMethod {
  (message: string): void;
  (fields: LogFields, message: string): void;
}

export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  /** A logger whose lines all carry `bindings`. */
  child(bindings: LogFields): Logger;
}

/** pino's numbers, which log tooling (and our tests) already read. */
export const LEVEL_NUMBER: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50 };

export interface LogSink {
  write(line: string): void;
}

export interface LoggerOptions {
  level?: LogLevel | string;
  /** Human-readable lines (default: only when writing to a TTY stdout). */
  pretty?: boolean;
  /** Where lines go (tests pass a recorder); default stdout. */
  destination?: LogSink;
}

const stdoutSink: LogSink = {
  write(line) {
    const bytes = Buffer.from(line);
    let offset = 0;
    // stdout may be a non-blocking pipe: retry a short write or EAGAIN a bounded number of times,
    // then drop the rest rather than stall the protocol.
    for (let attempt = 0; attempt < 100 && offset < bytes.length; attempt++) {
      try {
        offset += writeSync(1, bytes, offset);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return;
      }
    }
  },
};

function levelOf(name: string | undefined): number {
  return LEVEL_NUMBER[(name ?? 'info') as LogLevel] ?? LEVEL_NUMBER.info;
}

function jsonValue(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { type: value.name, message: value.message, stack: value.stack };
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function jsonLine(level: number, bindings: string, fields: LogFields | undefined, message: string): string {
  let line = `{"level":${level},"time":"${isoTime(Date.now())}"${bindings}`;
  if (fields) {
    for (const key in fields) {
      const value = fields[key];
      if (value === undefined) continue;
      line += `,${JSON.stringify(key)}:${JSON.stringify(value, jsonValue)}`;
    }
  }
  return `${line},"msg":${JSON.stringify(message)}}\n`;
}

const PRETTY_LABEL: Record<number, string> = { 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR' };
const PRETTY_COLOUR: Record<number, string> = {
  20: '\x1b[90m',
  30: '\x1b[32m',
  40: '\x1b[33m',
  50: '\x1b[31m',
};

function prettyLine(
  level: number,
  bindings: LogFields,
  fields: LogFields | undefined,
  message: string,
): string {
  const stamp = new Date().toTimeString().slice(0, 8) + '.' + String(Date.now() % 1000).padStart(3, '0');
  const extra = Object.entries({ ...bindings, ...fields })
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v, jsonValue)}`)
    .join(' ');
  return `${stamp} ${PRETTY_COLOUR[level] ?? ''}${PRETTY_LABEL[level] ?? level}\x1b[0m ${message}${extra ? ` \x1b[90m${extra}\x1b[0m` : ''}\n`;
}

class LineLogger implements Logger {
  private readonly encodedBindings: string;

  constructor(
    private readonly threshold: number,
    private readonly pretty: boolean,
    private readonly sink: LogSink,
    private readonly bindings: LogFields,
  ) {
    this.encodedBindings = Object.entries(bindings)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v, jsonValue)}`)
      .join('');
  }

  debug: LogMethod = (a: LogFields | string, b?: string) => this.write(20, a, b);
  info: LogMethod = (a: LogFields | string, b?: string) => this.write(30, a, b);
  warn: LogMethod = (a: LogFields | string, b?: string) => this.write(40, a, b);
  error: LogMethod = (a: LogFields | string, b?: string) => this.write(50, a, b);

  child(bindings: LogFields): Logger {
    return new LineLogger(this.threshold, this.pretty, this.sink, { ...this.bindings, ...bindings });
  }

  private write(level: number, a: LogFields | string, b: string | undefined): void {
    if (level < this.threshold) return;
    const fields = typeof a === 'string' ? undefined : a;
    const message = typeof a === 'string' ? a : (b ?? '');
    this.sink.write(
      this.pretty
        ? prettyLine(level, this.bindings, fields, message)
        : jsonLine(level, this.encodedBindings, fields, message),
    );
  }
}

/**
 * Whether fd 1 is a terminal, read from /proc/self/fd/1 rather than `process.stdout.isTTY`:
 * touching process.stdout builds a stream for it, and when fd 1 is a pipe or a socket (a service's
 * journal, the lab) that stream is a net.Socket, so node:net and its streams would load for one
 * boolean (~1.6 MiB, issue 15). node:tty requires node:net too.
 */
function stdoutIsTerminal(): boolean {
  try {
    return /^\/dev\/(pts\/\d+|tty\w*|console)$/.test(readlinkSync('/proc/self/fd/1'));
  } catch {
    return false;
  }
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? (options.destination === undefined && stdoutIsTerminal());
  return new LineLogger(levelOf(options.level), pretty, options.destination ?? stdoutSink, {
    pid: process.pid,
  });
}

/** A logger that writes nothing (tests, tools that only need the type). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

/** Receives every line of a callbackLogger, fields already merged with the child bindings. */
export type LogCallback = (level: LogLevel, fields: LogFields, message: string) => void;

/** A logger that hands each line to `callback` as values (tests, embedding). */
export function callbackLogger(callback: LogCallback, bindings: LogFields = {}): Logger {
  const at =
    (level: LogLevel): LogMethod =>
    (a: LogFields | string, b?: string) =>
      typeof a === 'string'
        ? callback(level, { ...bindings }, a)
        : callback(level, { ...bindings, ...a }, b ?? '');
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => callbackLogger(callback, { ...bindings, ...more }),
  };
}
