// Resolving a group name to its gid. Node has no getgrnam(), and the control socket only needs the
// local /etc/group (a router's admin group, not an LDAP one), so reading that file is enough.

import { readFileSync } from 'node:fs';

export class UnknownGroupError extends Error {
  readonly code = 'VRRPD_E_CTL_UNKNOWN_GROUP';
  constructor(group: string, file: string) {
    super(`group "${group}" is not in ${file}`);
    this.name = 'UnknownGroupError';
  }
}

/** Looks a group up in group(5) text; null if absent. Lines are `name:password:gid:members`. */
export function findGroupId(groupFileText: string, name: string): number | null {
  for (const line of groupFileText.split('\n')) {
    const fields = line.split(':');
    if (fields.length < 3 || fields[0] !== name) continue;
    const gid = Number(fields[2]);
    if (Number.isInteger(gid) && gid >= 0) return gid;
  }
  return null;
}

/** A numeric group (or a string of digits) is used as is; a name is looked up in `groupFile`. */
export function resolveGroupId(group: string | number, groupFile = '/etc/group'): number {
  if (typeof group === 'number') return group;
  if (/^\d+$/.test(group)) return Number(group);
  const gid = findGroupId(readFileSync(groupFile, 'utf8'), group);
  if (gid === null) throw new UnknownGroupError(group, groupFile);
  return gid;
}
