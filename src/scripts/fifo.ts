// notify_fifo / vrrp_notify_fifo: one line per event in keepalived's format
//   INSTANCE "VI_1" MASTER 100
//   GROUP "G1" BACKUP 0
// written synchronously at the moment of the transition, so lines are in event order.
// The FIFO is opened read-write and non-blocking (as keepalived does): opening never waits for a
// reader, a reader that starts later still receives the buffered lines, and when nobody drains
// the pipe and its buffer fills, lines are dropped and counted instead of blocking the daemon.
// `notify_fifo FILE [script [user [group]]]`-style readers (notify_fifo_script) are started with
// the FIFO path appended as last argument and terminated when the writer closes.

import {
  chownSync,
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { childProcess } from '../runtime/builtins.js';
import { reportedPriority, type NotifySubject } from './notify-plan.js';
import { startScript, type RunningScript } from './runner.js';
import type { Credentials, ScriptSpec } from './types.js';
import type { Logger } from '../runtime/log.js';
import { errorMessage } from '../runtime/errors.js';
import { LOG, say } from '../runtime/messages.js';

/** States a FIFO line can carry: the four notify states plus keepalived's FIFO-only events. */
export type FifoState =
  | 'MASTER'
  | 'BACKUP'
  | 'FAULT'
  | 'STOP'
  | 'DELETED'
  | 'MASTER_RX_LOWER_PRI'
  | 'MASTER_PRIORITY'
  | 'BACKUP_PRIORITY';

export interface FifoEvent {
  subject: NotifySubject;
  name: string;
  state: FifoState;
  /** Effective priority for an instance; groups always report 0. */
  priority: number;
}

/** The exact line keepalived writes, newline included. */
export function formatFifoLine(event: FifoEvent): string {
  const priority = reportedPriority({ subject: event.subject, priority: event.priority });
  return `${event.subject} "${event.name}" ${event.state} ${priority}\n`;
}

export interface NotifyFifoOptions {
  path: string;
  logger: Logger;
  /**
   * Create the FIFO when the path does not exist (mode 0600: keepalived's 0644 under its default
   * umask 0177); it is then removed on close.
   */
  create?: boolean;
  /** `notify_fifo FILE user [group]`: owner given to a FIFO we create. */
  owner?: Credentials;
  /** notify_fifo_script: started with the FIFO path appended; it reads the events. */
  readerScript?: ScriptSpec;
  readerCredentials?: Credentials;
}

const READER_KILL_GRACE_MS = 1000;

/** chown, where it changes anything; a failure is logged and the FIFO used anyway, as keepalived. */
function giveTo(path: string, owner: Credentials, logger: Logger): void {
  const uid = typeof process.getuid === 'function' ? process.getuid() : owner.uid;
  const gid = typeof process.getgid === 'function' ? process.getgid() : owner.gid;
  if (owner.uid === uid && owner.gid === gid) return;
  try {
    chownSync(path, owner.uid, owner.gid);
  } catch (error) {
    say(logger, LOG.fifoOwner, { fifo: path, uid: owner.uid, gid: owner.gid, err: errorMessage(error) });
  }
}

export type OpenFifoResult = { ok: true; writer: NotifyFifoWriter } | { ok: false; message: string };

export class NotifyFifoWriter {
  private droppedLines = 0;
  private dropStreak = 0;
  private closed = false;

  private constructor(
    private readonly path: string,
    private readonly fd: number,
    private readonly logger: Logger,
    private readonly removeOnClose: boolean,
    private readonly reader: RunningScript | null,
  ) {}

  /** Open (and optionally create) the FIFO; errors are returned, not thrown. */
  static open(options: NotifyFifoOptions): OpenFifoResult {
    const { path, logger } = options;
    let created = false;
    try {
      lstatSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        return { ok: false, message: `notify FIFO ${path}: ${errorMessage(error)}` };
      }
      if (!options.create) return { ok: false, message: `notify FIFO ${path} does not exist` };
      try {
        // Node has no mkfifo(3); coreutils' mkfifo is on every system that has keepalived's users.
        childProcess().execFileSync('mkfifo', ['-m', '0600', '--', path], { stdio: 'ignore', timeout: 5000 });
        created = true;
      } catch (mkfifoError) {
        return {
          ok: false,
          message: `notify FIFO ${path}: could not create it: ${errorMessage(mkfifoError)}`,
        };
      }
    }
    if (created && options.owner !== undefined) giveTo(path, options.owner, logger);
    let fd: number;
    try {
      // O_RDWR: never blocks on open and never fails with ENXIO when no reader is there yet.
      // (libuv adds O_CLOEXEC itself, so scripts do not inherit the descriptor.)
      fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
    } catch (error) {
      return { ok: false, message: `notify FIFO ${path}: ${errorMessage(error)}` };
    }
    if (!fstatSync(fd).isFIFO()) {
      closeSync(fd);
      return { ok: false, message: `notify FIFO ${path} exists and is not a FIFO` };
    }
    let reader: RunningScript | null = null;
    if (options.readerScript !== undefined) {
      reader = startScript({
        argv: [...options.readerScript.argv, path],
        label: `notify_fifo_script ${path}`,
        timeoutMs: null,
        // keepalived SIGTERMs its scripts' process groups at stop and reload, SIGKILL 1 s later.
        killGraceMs: READER_KILL_GRACE_MS,
        credentials: options.readerCredentials,
        logger,
        logContext: { fifo: path },
      });
    }
    return { ok: true, writer: new NotifyFifoWriter(path, fd, logger, created, reader) };
  }

  /** Write one event line; returns false (and counts it) when the line could not be written. */
  write(event: FifoEvent): boolean {
    if (this.closed) return false;
    const line = Buffer.from(formatFifoLine(event));
    try {
      // Lines are far below PIPE_BUF, so each write is atomic: all of the line or EAGAIN.
      writeSync(this.fd, line);
      if (this.dropStreak > 0) {
        say(this.logger, LOG.fifoResumed, { fifo: this.path, dropped: this.dropStreak });
        this.dropStreak = 0;
      }
      return true;
    } catch (error) {
      this.droppedLines += 1;
      this.dropStreak += 1;
      // Log the first drop of a streak only: a FIFO nobody reads would otherwise flood the journal.
      if (this.dropStreak === 1) {
        say(this.logger, LOG.fifoBlocked, { fifo: this.path, errno: (error as NodeJS.ErrnoException).code });
      }
      return false;
    }
  }

  /** Lines dropped since open (for stats). */
  get dropped(): number {
    return this.droppedLines;
  }

  /** Close the FIFO, stop its reader script, and remove the FIFO if we created it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      closeSync(this.fd);
    } catch {
      // Already closed: nothing to release.
    }
    if (this.reader !== null) {
      this.reader.terminate();
      await this.reader.done;
    }
    if (this.removeOnClose) {
      try {
        unlinkSync(this.path);
      } catch {
        // Somebody removed it already.
      }
    }
  }
}
