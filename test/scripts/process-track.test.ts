// vrrp_track_process logic without processes: keepalived's parameter matching, quorum and
// quorum_max, and the fork/terminate delays, as actions out of the pure core.

import { describe, expect, it } from 'vitest';
import {
  paramBytes,
  paramsMatch,
  processMatches,
  ProcessTrackCore,
  type ProcessIdentity,
  type ProcessTrackAction,
  type ProcessTrackConfig,
} from '../../src/scripts/process-track.js';

function tracker(overrides: Partial<ProcessTrackConfig> = {}): ProcessTrackConfig {
  return {
    name: 'nginx',
    process: 'nginx',
    params: [],
    paramMatch: 'none',
    fullCommand: false,
    quorum: 1,
    quorumMax: Infinity,
    forkDelayMs: 0,
    terminateDelayMs: 0,
    ...overrides,
  };
}

const cmd = (...argv: string[]): Buffer => Buffer.from(argv.map((a) => `${a}\0`).join(''));
const named = (comm: string, ...argv: string[]): ProcessIdentity => ({
  comm,
  cmdline: argv.length > 0 ? cmd(...argv) : null,
});
const statuses = (actions: ProcessTrackAction[]) =>
  actions
    .filter((a) => a.kind === 'status')
    .map((a) => (a.kind === 'status' ? `${a.tracker}:${a.up}:${a.count}` : ''));

describe('matching (keepalived check_params)', () => {
  const configured = (match: 'exact' | 'partial' | 'initial', ...params: string[]) =>
    tracker({ process: '/usr/sbin/nginx', fullCommand: true, paramMatch: match, params });

  it('compares the name, or argv[0] exactly with full_command', () => {
    expect(processMatches(tracker(), named('nginx'))).toBe(true);
    expect(processMatches(tracker(), named('nginx: worker'))).toBe(false);
    const full = tracker({ process: '/usr/sbin/nginx', fullCommand: true });
    expect(processMatches(full, named('nginx', '/usr/sbin/nginx', '-g', 'daemon off;'))).toBe(true);
    expect(processMatches(full, named('nginx', 'nginx'))).toBe(false);
    expect(processMatches(full, named('nginx'))).toBe(false); // cmdline not read
  });

  it('exact: the same parameters, no more no less; no parameters means none', () => {
    expect(
      processMatches(configured('exact', '-c', 'a.conf'), named('x', '/usr/sbin/nginx', '-c', 'a.conf')),
    ).toBe(true);
    expect(
      processMatches(
        configured('exact', '-c', 'a.conf'),
        named('x', '/usr/sbin/nginx', '-c', 'a.conf', '-q'),
      ),
    ).toBe(false);
    expect(processMatches(configured('exact'), named('x', '/usr/sbin/nginx'))).toBe(true);
    expect(processMatches(configured('exact'), named('x', '/usr/sbin/nginx', '-q'))).toBe(false);
  });

  it('partial: the configured parameters are the first ones, whole; initial: the last may be a prefix', () => {
    const process = named('x', '/usr/sbin/nginx', '-c', '/etc/nginx.conf', '-q');
    expect(processMatches(configured('partial', '-c', '/etc/nginx.conf'), process)).toBe(true);
    expect(processMatches(configured('partial', '-c', '/etc/ng'), process)).toBe(false);
    expect(processMatches(configured('initial', '-c', '/etc/ng'), process)).toBe(true);
    expect(processMatches(configured('initial', '-c', '/etc/x'), process)).toBe(false);
    expect(processMatches(configured('partial'), process)).toBe(true);
  });

  it('parameters shorter than the configured ones never match (keepalived checks length first)', () => {
    expect(paramsMatch('initial', paramBytes(['-c', 'abc']), cmd('-c', 'a'))).toBe(false);
    expect(paramsMatch('partial', paramBytes(['-c']), cmd('-c'))).toBe(true);
  });
});

describe('quorum', () => {
  it('reports every tracker’s state from the first scan, then only changes', () => {
    const core = new ProcessTrackCore([tracker(), tracker({ name: 'sshd', process: 'sshd', quorum: 2 })]);
    const initial = core.scan(
      new Map([
        [10, named('nginx')],
        [11, named('sshd')],
      ]),
      true,
    );
    expect(statuses(initial)).toEqual(['nginx:true:1', 'sshd:false:1']);
    expect(statuses(core.exec(12, named('sshd')))).toEqual(['sshd:true:2']);
    expect(statuses(core.exec(13, named('sshd')))).toEqual([]);
    expect(statuses(core.exit(11))).toEqual([]);
    expect(statuses(core.exit(12))).toEqual(['sshd:false:1']);
    expect(statuses(core.exit(99))).toEqual([]);
  });

  it('goes down above quorum_max and up again at it', () => {
    const core = new ProcessTrackCore([tracker({ quorum: 1, quorumMax: 2 })]);
    core.scan(new Map(), true);
    expect(statuses(core.exec(1, named('nginx')))).toEqual(['nginx:true:1']);
    expect(statuses(core.exec(2, named('nginx')))).toEqual([]);
    expect(statuses(core.exec(3, named('nginx')))).toEqual(['nginx:false:3']);
    expect(statuses(core.exit(3))).toEqual(['nginx:true:2']);
  });

  it('quorum_max 0 means "must not run"', () => {
    const core = new ProcessTrackCore([tracker({ quorum: 0, quorumMax: 0 })]);
    expect(statuses(core.scan(new Map(), true))).toEqual(['nginx:true:0']);
    expect(statuses(core.exec(5, named('nginx')))).toEqual(['nginx:false:1']);
    expect(statuses(core.exit(5))).toEqual(['nginx:true:0']);
  });

  it('counts a process once however often it is seen (keepalived would count an exec twice)', () => {
    const core = new ProcessTrackCore([tracker({ quorum: 2 })]);
    core.scan(new Map([[1, named('nginx')]]), true);
    expect(statuses(core.exec(1, named('nginx')))).toEqual([]);
    expect(core.view()[0]!.count).toBe(1);
  });

  it('drops a process that execs something else, or renames itself, at once', () => {
    const core = new ProcessTrackCore([tracker({ terminateDelayMs: 5000 })]);
    core.scan(new Map([[1, named('nginx')]]), true);
    expect(statuses(core.exec(1, named('bash')))).toEqual(['nginx:false:0']);
    expect(statuses(core.comm(1, { comm: 'nginx', cmdline: null }))).toEqual(['nginx:true:1']);
    expect(statuses(core.comm(1, { comm: 'nginx', cmdline: null }))).toEqual([]);
    expect(statuses(core.comm(1, { comm: 'other', cmdline: null }))).toEqual(['nginx:false:0']);
  });

  it('ignores renames for full_command trackers (the command line did not change)', () => {
    const core = new ProcessTrackCore([tracker({ process: '/bin/app', fullCommand: true })]);
    core.scan(new Map([[1, named('app', '/bin/app')]]), true);
    expect(core.comm(1, { comm: 'renamed', cmdline: null })).toEqual([]);
    expect(core.view()[0]!.count).toBe(1);
  });
});

describe('delays', () => {
  it('fork_delay: a counted process’s child counts at once, the status changes after the delay', () => {
    const core = new ProcessTrackCore([tracker({ quorum: 2, forkDelayMs: 500 })]);
    core.scan(new Map([[1, named('nginx')]]), true);
    expect(core.fork(1, 2)).toEqual([{ kind: 'armTimer', tracker: 'nginx', timer: 'fork', delayMs: 500 }]);
    expect(core.view()[0]).toMatchObject({ count: 2, up: false, pendingTimer: 'fork' });
    expect(statuses(core.timerExpired('nginx', 'fork'))).toEqual(['nginx:true:2']);
    expect(core.fork(99, 3)).toEqual([]); // parent not counted
  });

  it('fork_delay: the child gone before the delay cancels it with no status change', () => {
    const core = new ProcessTrackCore([tracker({ quorum: 2, forkDelayMs: 500 })]);
    core.scan(new Map([[1, named('nginx')]]), true);
    core.fork(1, 2);
    expect(core.exit(2)).toEqual([{ kind: 'cancelTimer', tracker: 'nginx', timer: 'fork' }]);
    expect(core.timerExpired('nginx', 'fork')).toEqual([]);
    expect(core.view()[0]).toMatchObject({ count: 1, up: false, pendingTimer: null });
  });

  it('terminate_delay: an exit takes effect after the delay; a replacement in time cancels it', () => {
    const core = new ProcessTrackCore([tracker({ terminateDelayMs: 2000 })]);
    core.scan(new Map([[1, named('nginx')]]), true);
    expect(core.exit(1)).toEqual([{ kind: 'armTimer', tracker: 'nginx', timer: 'terminate', delayMs: 2000 }]);
    expect(core.view()[0]).toMatchObject({ up: true, count: 0 });
    expect(core.exec(2, named('nginx'))).toEqual([
      { kind: 'cancelTimer', tracker: 'nginx', timer: 'terminate' },
    ]);
    expect(core.view()[0]).toMatchObject({ up: true, count: 1, pendingTimer: null });

    core.exit(2);
    expect(statuses(core.timerExpired('nginx', 'terminate'))).toEqual(['nginx:false:0']);
  });

  it('after lost events a rescan reports changes; a loss still waits terminate_delay', () => {
    const core = new ProcessTrackCore([
      tracker({ terminateDelayMs: 1000 }),
      tracker({ name: 'b', process: 'b' }),
    ]);
    core.scan(new Map([[1, named('nginx')]]), true);
    const after = core.scan(new Map([[7, named('b')]]), false);
    expect(after).toEqual([
      { kind: 'armTimer', tracker: 'nginx', timer: 'terminate', delayMs: 1000 },
      { kind: 'status', tracker: 'b', up: true, count: 1 },
    ]);
    expect(core.trackedPids()).toEqual([7]);
  });
});
