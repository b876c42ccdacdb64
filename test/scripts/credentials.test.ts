import { describe, expect, it } from 'vitest';
import {
  parseGroup,
  parsePasswd,
  resolveCredentials,
  resolveRunAs,
  type AccountDatabase,
} from '../../src/scripts/credentials.js';

const passwd = [
  'root:x:0:0:root:/root:/bin/bash',
  '# a comment',
  'keep:x:1000:1000:Keep:/home/keep:/bin/sh',
  'broken:x:notanumber:1',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
  '',
].join('\n');
const group = ['root:x:0:', 'keep:x:1000:', 'netops:x:1200:keep', 'nogroup:x:65534:'].join('\n');

const db: AccountDatabase = { users: parsePasswd(passwd), groups: parseGroup(group) };
const root = { uid: 0, gid: 0 };

describe('passwd/group parsing', () => {
  it('keeps well-formed entries and skips comments and malformed lines', () => {
    expect([...db.users.keys()]).toEqual(['root', 'keep', 'nobody']);
    expect(db.users.get('keep')).toEqual({ uid: 1000, gid: 1000 });
    expect(db.groups.get('netops')).toEqual({ gid: 1200 });
  });
});

describe('resolveCredentials', () => {
  it('uses the primary group when no group is given', () => {
    expect(resolveCredentials(db, 'keep')).toEqual({
      ok: true,
      credentials: { uid: 1000, gid: 1000 },
      user: 'keep',
      group: null,
    });
  });
  it('uses the named group', () => {
    expect(resolveCredentials(db, 'keep', 'netops')).toMatchObject({
      ok: true,
      credentials: { uid: 1000, gid: 1200 },
    });
  });
  it('reports unknown names', () => {
    expect(resolveCredentials(db, 'ghost')).toEqual({ ok: false, message: 'unknown user "ghost"' });
    expect(resolveCredentials(db, 'keep', 'ghosts')).toEqual({
      ok: false,
      message: 'unknown group "ghosts"',
    });
  });
  it('accepts numeric ids', () => {
    expect(resolveCredentials(db, '4242', '77')).toMatchObject({
      ok: true,
      credentials: { uid: 4242, gid: 77 },
    });
  });
});

describe('resolveRunAs (keepalived precedence)', () => {
  it('script user beats script_user beats keepalived_script beats the daemon', () => {
    const withDefault: AccountDatabase = {
      users: new Map([...db.users, ['keepalived_script', { uid: 990, gid: 990 }]]),
      groups: db.groups,
    };
    expect(
      resolveRunAs(withDefault, { user: 'nobody' }, { scriptUser: { user: 'keep', group: null } }, root),
    ).toMatchObject({
      credentials: { uid: 65534, gid: 65534 },
    });
    expect(
      resolveRunAs(withDefault, {}, { scriptUser: { user: 'keep', group: 'netops' } }, root),
    ).toMatchObject({
      credentials: { uid: 1000, gid: 1200 },
    });
    expect(resolveRunAs(withDefault, {}, {}, root)).toMatchObject({
      credentials: { uid: 990, gid: 990 },
      user: 'keepalived_script',
    });
    expect(resolveRunAs(db, {}, {}, root)).toMatchObject({ credentials: { uid: 0, gid: 0 }, user: 'root' });
  });
});
