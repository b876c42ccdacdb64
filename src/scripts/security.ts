// enable_script_security, as keepalived defines it: a script that runs as root must not be
// modifiable or replaceable by a non-root user. Every component of its path is checked — "/", each
// directory, every symlink met on the way (and the path it points to), and the final file — and
// the first unsafe one is named with the reason, e.g. "/srv is group-writable by gid 1000"
// (keepalived only says "Unsafe permissions found").
// A component is unsafe when (keepalived's rule):
//  - it is owned by a non-root uid, or
//  - it is group-writable and its group is not root, or world-writable — except a directory with
//    the sticky bit (like /tmp), where others can add entries but not replace ours.
// A symlink's own mode bits mean nothing, but its owner can delete it inside a sticky directory,
// so a symlink owned by non-root is unsafe too.
// Pure: the filesystem comes in through PathInspector (see security-fs.ts for the real one).

import path from 'node:path';
import type { Credentials } from './types.js';

export type PathEntryType = 'file' | 'directory' | 'symlink' | 'other';

/** The fields of lstat(2) the check needs. */
export interface PathEntry {
  type: PathEntryType;
  /** Permission bits including setuid/setgid/sticky (st_mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
}

export type InspectResult<T> = { ok: true; value: T } | { ok: false; code: string };

export interface PathInspector {
  lstat(file: string): InspectResult<PathEntry>;
  readlink(file: string): InspectResult<string>;
}

const S_ISUID = 0o4000;
const S_ISGID = 0o2000;
const S_ISVTX = 0o1000;
const S_IWGRP = 0o020;
const S_IWOTH = 0o002;
const S_IXUSR = 0o100;
const S_IXGRP = 0o010;
/** Linux gives up after 40 symlinks (ELOOP); so do we. */
const MAX_SYMLINKS = 40;

export type PathProblem = 'missing' | 'not_a_file' | 'loop';

/** Everything learnt by walking a path: where it leads, and the first weakness met on the way. */
export interface PathWalk {
  /** Final path after resolving symlinks and "..", when the walk reached a regular file. */
  resolvedPath: string | null;
  target: PathEntry | null;
  /** Why the walk could not reach a regular file, if it could not. */
  failure: { problem: PathProblem; component: string; reason: string } | null;
  /** The first component (in walk order) a non-root user could modify, if any. */
  weakness: { component: string; reason: string } | null;
}

export type PathSafety =
  | { ok: true; resolvedPath: string; target: PathEntry }
  | { ok: false; problem: 'unsafe'; component: string; reason: string }
  | { ok: false; problem: PathProblem; component: string; reason: string };

/** Why one entry lets a non-root user change what runs, or null when it does not. */
export function entryWeakness(entry: PathEntry): string | null {
  if (entry.uid !== 0) {
    return entry.type === 'symlink'
      ? `is a symlink owned by uid ${entry.uid}`
      : `is owned by uid ${entry.uid}`;
  }
  if (entry.type === 'symlink') return null;
  const stickyDirectory = entry.type === 'directory' && (entry.mode & S_ISVTX) !== 0;
  if (stickyDirectory) return null;
  if ((entry.mode & S_IWOTH) !== 0) return 'is world-writable';
  if (entry.gid !== 0 && (entry.mode & S_IWGRP) !== 0) return `is group-writable by gid ${entry.gid}`;
  return null;
}

function components(text: string): string[] {
  return text.split('/').filter((part) => part !== '' && part !== '.');
}

/**
 * Walk an absolute path like the kernel does (resolving symlinks and ".."), checking every
 * component met on the way, through to the end even after a weakness (so a missing file is still
 * noticed).
 */
export function walkScriptPath(absolutePath: string, inspector: PathInspector): PathWalk {
  let weakness: PathWalk['weakness'] = null;
  const fail = (problem: PathProblem, component: string, reason: string): PathWalk => ({
    resolvedPath: null,
    target: null,
    failure: { problem, component, reason },
    weakness,
  });
  const note = (component: string, entry: PathEntry): void => {
    const reason = entryWeakness(entry);
    if (reason !== null && weakness === null) weakness = { component, reason };
  };

  const root = inspector.lstat('/');
  if (!root.ok) return fail('missing', '/', `cannot be inspected (${root.code})`);
  note('/', root.value);

  const pending = components(absolutePath);
  let current = '/';
  let currentEntry: PathEntry = root.value;
  let symlinksFollowed = 0;

  while (pending.length > 0) {
    const name = pending.shift() as string;
    if (name === '..') {
      // `current` is already fully resolved, so its textual parent is its real parent (checked).
      current = path.dirname(current);
      const parent = inspector.lstat(current);
      if (!parent.ok) return fail('missing', current, `cannot be inspected (${parent.code})`);
      currentEntry = parent.value;
      continue;
    }
    if (currentEntry.type !== 'directory') return fail('not_a_file', current, 'is not a directory');
    const candidate = path.join(current, name);
    const entry = inspector.lstat(candidate);
    if (!entry.ok) {
      return fail(
        'missing',
        candidate,
        entry.code === 'ENOENT' ? 'does not exist' : `cannot be inspected (${entry.code})`,
      );
    }
    note(candidate, entry.value);

    if (entry.value.type === 'symlink') {
      symlinksFollowed += 1;
      if (symlinksFollowed > MAX_SYMLINKS)
        return fail('loop', candidate, 'too many levels of symbolic links');
      const target = inspector.readlink(candidate);
      if (!target.ok) return fail('missing', candidate, `cannot be read (${target.code})`);
      // The target's components are walked (and checked) like the rest of the path.
      pending.unshift(...components(target.value));
      if (target.value.startsWith('/')) {
        current = '/';
        currentEntry = root.value;
      }
      continue;
    }
    current = candidate;
    currentEntry = entry.value;
  }

  if (currentEntry.type !== 'file') return fail('not_a_file', current, 'is not a regular file');
  return { resolvedPath: current, target: currentEntry, failure: null, weakness };
}

/** The first problem of a path, in walk order: an unsafe component, or why it leads nowhere. */
export function inspectPathSafety(absolutePath: string, inspector: PathInspector): PathSafety {
  const walk = walkScriptPath(absolutePath, inspector);
  if (walk.weakness !== null) return { ok: false, problem: 'unsafe', ...walk.weakness };
  if (walk.failure !== null) return { ok: false, ...walk.failure };
  return { ok: true, resolvedPath: walk.resolvedPath as string, target: walk.target as PathEntry };
}

/**
 * keepalived protects a script when it runs as uid 0 or gid 0, or when the file is setuid-root or
 * setgid-root (then whoever runs it gets root anyway).
 */
export function needsProtection(runAs: Credentials, target: PathEntry): boolean {
  if (runAs.uid === 0 || runAs.gid === 0) return true;
  const setuidRoot = target.uid === 0 && (target.mode & S_ISUID) !== 0 && (target.mode & S_IXUSR) !== 0;
  const setgidRoot = target.gid === 0 && (target.mode & S_ISGID) !== 0 && (target.mode & S_IXGRP) !== 0;
  return setuidRoot || setgidRoot;
}

/** Whether `runAs` may execute `entry` (root: any x bit; else owner/group/other x bit). */
export function isExecutableBy(runAs: Credentials, entry: PathEntry): boolean {
  if (runAs.uid === 0) return (entry.mode & 0o111) !== 0;
  if (runAs.uid === entry.uid) return (entry.mode & 0o100) !== 0;
  if (runAs.gid === entry.gid) return (entry.mode & 0o010) !== 0;
  return (entry.mode & 0o001) !== 0;
}

export const ScriptCheckCode = {
  unsafe: 'VRRPD_E_SCRIPT_UNSAFE',
  unsafeAllowed: 'VRRPD_W_SCRIPT_UNSAFE',
  notFound: 'VRRPD_E_SCRIPT_NOT_FOUND',
  notExecutable: 'VRRPD_W_SCRIPT_NOT_EXECUTABLE',
  unknownUser: 'VRRPD_E_SCRIPT_USER',
  rootWithoutSecurity: 'VRRPD_W_SCRIPT_ROOT',
} as const;
export type ScriptCheckCodeValue = (typeof ScriptCheckCode)[keyof typeof ScriptCheckCode];

export interface ScriptFinding {
  severity: 'error' | 'warning';
  code: ScriptCheckCodeValue;
  message: string;
  hint?: string;
}

export interface ScriptVerdict {
  /** False: the script must not be run (unsafe under enable_script_security, or not found). */
  allowed: boolean;
  /** Absolute path of the program after PATH search and symlink resolution, when found. */
  resolvedPath: string | null;
  /** Whether it runs with root privileges (so script security applies). */
  privileged: boolean;
  findings: ScriptFinding[];
}

export interface EvaluateScriptInput {
  /** The program as configured (argv[0]). */
  program: string;
  /** Program after PATH search (absolute), or null when a bare name was not found in PATH. */
  located: string | null;
  runAs: Credentials;
  enableScriptSecurity: boolean;
  inspector: PathInspector;
}

/** The security verdict for one script; pure given the inspector. */
export function evaluateScript(input: EvaluateScriptInput): ScriptVerdict {
  const { program, runAs } = input;
  if (input.located === null) {
    return {
      allowed: false,
      resolvedPath: null,
      privileged: runAs.uid === 0 || runAs.gid === 0,
      findings: [
        {
          severity: 'error',
          code: ScriptCheckCode.notFound,
          message: `script "${program}" not found in PATH`,
          hint: 'give the full path of the script',
        },
      ],
    };
  }
  const walk = walkScriptPath(input.located, input.inspector);
  if (walk.failure !== null) {
    return {
      allowed: false,
      resolvedPath: null,
      privileged: runAs.uid === 0 || runAs.gid === 0,
      findings: [
        {
          severity: 'error',
          code: ScriptCheckCode.notFound,
          message: `script "${program}" cannot be used: ${walk.failure.component} ${walk.failure.reason}`,
        },
      ],
    };
  }
  const target = walk.target as PathEntry;
  const resolvedPath = walk.resolvedPath as string;
  const privileged = needsProtection(runAs, target);
  const findings: ScriptFinding[] = [];
  let allowed = true;
  if (privileged && walk.weakness !== null) {
    const { component, reason } = walk.weakness;
    const message = `script "${program}" would run as root but ${component} ${reason}`;
    if (input.enableScriptSecurity) {
      allowed = false;
      findings.push({
        severity: 'error',
        code: ScriptCheckCode.unsafe,
        message: `${message}; refused by enable_script_security`,
        hint: `make ${component} owned by root and writable only by root, or run the script as another user (script_user or "user" after the script)`,
      });
    } else {
      findings.push({
        severity: 'warning',
        code: ScriptCheckCode.unsafeAllowed,
        message: `${message} (would be refused with enable_script_security)`,
        hint: `make ${component} owned by root and writable only by root`,
      });
    }
  }
  if (!isExecutableBy(runAs, target)) {
    findings.push({
      severity: 'warning',
      code: ScriptCheckCode.notExecutable,
      message: `script "${program}" (${resolvedPath}) is not executable for uid:gid ${runAs.uid}:${runAs.gid}`,
      hint: `chmod +x ${resolvedPath}`,
    });
  }
  return { allowed, resolvedPath, privileged, findings };
}
