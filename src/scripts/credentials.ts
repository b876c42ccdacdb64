// Who a script runs as. keepalived's rules: `user [group]` after the script, else the global
// `script_user [group]`, else the user `keepalived_script` if it exists, else the daemon's own
// identity (normally root). A user without a group runs with the user's primary group.
// Names are resolved from /etc/passwd and /etc/group (no NSS, no new dependency): the parsers are
// pure so tests can feed fabricated databases.

import { readFileSync } from 'node:fs';
import type { Credentials } from './types.js';

export const DEFAULT_SCRIPT_USER = 'keepalived_script';

export interface AccountDatabase {
  users: ReadonlyMap<string, { uid: number; gid: number }>;
  groups: ReadonlyMap<string, { gid: number }>;
}

/** Parse passwd(5) text: `name:password:uid:gid:gecos:home:shell`. Malformed lines are skipped. */
export function parsePasswd(text: string): Map<string, { uid: number; gid: number }> {
  const users = new Map<string, { uid: number; gid: number }>();
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length < 4 || line.startsWith('#')) continue;
    const uid = Number(fields[2]);
    const gid = Number(fields[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid) || fields[2] === '' || fields[3] === '') continue;
    if (!users.has(fields[0])) users.set(fields[0], { uid, gid });
  }
  return users;
}

/** Parse group(5) text: `name:password:gid:members`. */
export function parseGroup(text: string): Map<string, { gid: number }> {
  const groups = new Map<string, { gid: number }>();
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length < 3 || line.startsWith('#') || fields[2] === '') continue;
    const gid = Number(fields[2]);
    if (!Number.isInteger(gid)) continue;
    if (!groups.has(fields[0])) groups.set(fields[0], { gid });
  }
  return groups;
}

/** Read the local account database; a missing file yields an empty table (resolution then fails loudly). */
export function loadAccountDatabase(passwdPath = '/etc/passwd', groupPath = '/etc/group'): AccountDatabase {
  const read = (file: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  };
  return { users: parsePasswd(read(passwdPath)), groups: parseGroup(read(groupPath)) };
}

export type CredentialsResult =
  { ok: true; credentials: Credentials; user: string; group: string | null } | { ok: false; message: string };

/** Resolve `user [group]`. Numeric ids are accepted too (a convenience keepalived does not offer). */
export function resolveCredentials(db: AccountDatabase, user: string, group?: string): CredentialsResult {
  const account = db.users.get(user) ?? numericAccount(user);
  if (account === null) return { ok: false, message: `unknown user "${user}"` };
  if (group === undefined) {
    return { ok: true, credentials: { uid: account.uid, gid: account.gid }, user, group: null };
  }
  const groupEntry = db.groups.get(group) ?? numericGroup(group);
  if (groupEntry === null) return { ok: false, message: `unknown group "${group}"` };
  return { ok: true, credentials: { uid: account.uid, gid: groupEntry.gid }, user, group };
}

export interface ScriptUserSettings {
  /** Global `script_user NAME [GROUP]` (the config model's GlobalDefs.scriptUser). */
  scriptUser?: { user: string; group: string | null } | null;
}

/**
 * The identity a script runs as, following keepalived's precedence. `daemon` is the daemon's own
 * identity (used when nothing is configured and `keepalived_script` does not exist).
 */
export function resolveRunAs(
  db: AccountDatabase,
  script: { user?: string; group?: string },
  settings: ScriptUserSettings,
  daemon: Credentials,
): CredentialsResult {
  if (script.user !== undefined) return resolveCredentials(db, script.user, script.group);
  if (settings.scriptUser) {
    return resolveCredentials(db, settings.scriptUser.user, settings.scriptUser.group ?? undefined);
  }
  const fallback = db.users.get(DEFAULT_SCRIPT_USER);
  if (fallback !== undefined) {
    return { ok: true, credentials: { ...fallback }, user: DEFAULT_SCRIPT_USER, group: null };
  }
  return {
    ok: true,
    credentials: { ...daemon },
    user: daemon.uid === 0 ? 'root' : String(daemon.uid),
    group: null,
  };
}

function numericAccount(text: string): { uid: number; gid: number } | null {
  if (!/^\d+$/.test(text)) return null;
  const uid = Number(text);
  // Without a passwd entry the primary group is unknown: use the same number, as `chown 1000` users expect.
  return { uid, gid: uid };
}

function numericGroup(text: string): { gid: number } | null {
  return /^\d+$/.test(text) ? { gid: Number(text) } : null;
}
