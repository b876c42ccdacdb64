// track_file: a file holding an integer, re-read whenever it changes. keepalived's reading rules
// (keepalived.conf(5) "Track files"): the number is parsed like strtol(…, 0) — leading blanks, a
// sign, 0x for hex, a leading 0 for octal, anything unparsable reads as 0 — and clamped to
// [-254, 254]; a missing or deleted file reads as 0. What the value does to an instance is
// fileTrackEffect() in track-effect.ts.
// Changes are caught by fs.watch on the directory (so editors that replace the file by rename are
// seen) plus a periodic re-read as a fallback for filesystems where inotify says nothing.

import { watch, type FSWatcher } from 'node:fs';
import { access, readFile, writeFile } from '../runtime/fs-async.js';
import path from 'node:path';
import { fileTrackEffect } from './track-effect.js';
import type { Logger } from '../runtime/log.js';
import { errorMessage } from '../runtime/errors.js';
import { systemTimers, type TimerHandle } from '../runtime/timers.js';
import { LOG, say } from '../runtime/messages.js';

export const TRACK_FILE_VALUE_LIMIT = 254;
/** keepalived reads at most this many bytes of the file. */
const READ_LIMIT_BYTES = 127;
export const DEFAULT_TRACK_FILE_POLL_MS = 1000;
/**
 * keepalived reacts to IN_CLOSE_WRITE; fs.watch reports the truncation of `echo 5 > file` before
 * the write, so reads wait for the burst of events to settle rather than seeing an empty file.
 */
const WATCH_SETTLE_MS = 50;

/** strtol(text, NULL, 0) semantics, clamped to ±254; null (no file) reads as 0. */
export function parseTrackFileValue(text: string | null): number {
  if (text === null) return 0;
  const match = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(
    text.slice(0, READ_LIMIT_BYTES),
  );
  if (match === null) return 0;
  const [, sign, digits] = match;
  let magnitude: number;
  if (/^0[xX]/.test(digits)) magnitude = parseInt(digits.slice(2), 16);
  else if (digits.length > 1 && digits.startsWith('0')) magnitude = parseInt(digits.slice(1), 8);
  else magnitude = parseInt(digits, 10);
  const value = sign === '-' ? -magnitude : magnitude;
  return Math.max(-TRACK_FILE_VALUE_LIMIT, Math.min(TRACK_FILE_VALUE_LIMIT, value));
}

/** One `track_file` block (the config model's TrackFileModel fits). */
export interface TrackFileConfig {
  name: string;
  path: string;
  /** Default weight of the track_file block (keepalived's default is 1); entries may override it. */
  weight: number;
  weightReverse: boolean;
}

export interface FileTrackerState {
  kind: 'file';
  name: string;
  path: string;
  value: number;
  weight: number;
  reverse: boolean;
  contribution: number;
  fault: boolean;
}

export interface TrackFileWatcherOptions {
  logger: Logger;
  onChange?: (state: FileTrackerState, previousValue: number) => void;
  pollIntervalMs?: number;
}

export class TrackFileWatcher {
  private value = 0;
  private watcher: FSWatcher | null = null;
  private pollTimer: TimerHandle | null = null;
  private settleTimer: TimerHandle | null = null;
  private reading: Promise<void> | null = null;
  private rereadRequested = false;
  private stopped = false;

  constructor(
    readonly config: TrackFileConfig,
    private readonly options: TrackFileWatcherOptions,
  ) {}

  /** Read the file once (initial value, no onChange), then watch it. */
  async start(): Promise<void> {
    this.value = await readTrackFile(this.config.path);
    try {
      this.watcher = watch(path.dirname(this.config.path), { persistent: false }, (_event, filename) => {
        if (filename === null || filename === path.basename(this.config.path)) this.scheduleSettledRead();
      });
      this.watcher.on('error', () => {
        // The directory went away: the periodic re-read keeps working (and reads 0).
        this.watcher?.close();
        this.watcher = null;
      });
    } catch (error) {
      say(this.options.logger, LOG.trackFileNoWatch, {
        trackFile: this.config.name,
        path: this.config.path,
        err: String(error),
      });
    }
    this.pollTimer = systemTimers.every(
      this.options.pollIntervalMs ?? DEFAULT_TRACK_FILE_POLL_MS,
      () => this.requestRead(),
      { unref: true },
    );
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.close();
    this.watcher = null;
    this.pollTimer?.cancel();
    this.pollTimer = null;
    this.settleTimer?.cancel();
    this.settleTimer = null;
  }

  private scheduleSettledRead(): void {
    this.settleTimer?.cancel();
    this.settleTimer = systemTimers.after(WATCH_SETTLE_MS, () => {
      this.settleTimer = null;
      this.requestRead();
    });
  }

  state(): FileTrackerState {
    const effect = fileTrackEffect(this.value, this.config.weight, this.config.weightReverse);
    return {
      kind: 'file',
      name: this.config.name,
      path: this.config.path,
      value: this.value,
      weight: this.config.weight,
      reverse: this.config.weightReverse,
      contribution: effect.contribution,
      fault: effect.fault,
    };
  }

  /** Coalesce bursts of watch events into one read at a time, plus one trailing read. */
  private requestRead(): void {
    if (this.stopped) return;
    if (this.reading !== null) {
      this.rereadRequested = true;
      return;
    }
    this.reading = (async () => {
      do {
        this.rereadRequested = false;
        const value = await readTrackFile(this.config.path);
        if (this.stopped) return;
        if (value !== this.value) {
          const previous = this.value;
          this.value = value;
          const state = this.state();
          say(this.options.logger, LOG.trackFileChanged, {
            trackFile: this.config.name,
            from: previous,
            to: value,
            contribution: state.contribution,
            fault: state.fault,
          });
          this.options.onChange?.(state, previous);
        }
      } while (this.rereadRequested && !this.stopped);
    })().finally(() => {
      this.reading = null;
    });
  }
}

async function readTrackFile(file: string): Promise<number> {
  try {
    return parseTrackFileValue(await readFile(file, 'utf8'));
  } catch {
    return parseTrackFileValue(null);
  }
}

/**
 * `init_file [VALUE] [overwrite]`: write VALUE (default 0) at startup when the file does not
 * exist, or always with `overwrite`. Returns an error message instead of throwing.
 */
export async function initialiseTrackFile(
  file: string,
  value = 0,
  overwrite = false,
): Promise<string | null> {
  if (!overwrite) {
    try {
      await access(file);
      return null;
    } catch {
      // Missing: create it below.
    }
  }
  try {
    await writeFile(file, `${value}\n`, { mode: 0o644 });
    return null;
  } catch (error) {
    return `track_file ${file}: cannot initialise: ${errorMessage(error)}`;
  }
}
