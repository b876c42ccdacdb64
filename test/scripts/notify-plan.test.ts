import { describe, expect, it } from 'vitest';
import { notifyKey, planNotifyScripts, type NotifyScripts } from '../../src/scripts/notify-plan.js';
import { specFor } from './helpers.js';

const scripts: NotifyScripts = {
  master: specFor(['/srv/keepup.sh']),
  backup: specFor(['/srv/keepdown.sh', 'backup arg', 'x']),
  fault: specFor(['/srv/fault.sh', 'VG_1']),
  stop: specFor(['/srv/stop.sh']),
  any: specFor(['/srv/keep.sh', '--verbose']),
};

describe('planNotifyScripts (keepalived notify conventions)', () => {
  it('runs the state-specific script with exactly its argv, then notify with the four arguments appended', () => {
    const planned = planNotifyScripts(scripts, {
      subject: 'INSTANCE',
      name: 'VI_1',
      state: 'BACKUP',
      priority: 100,
    });
    expect(planned.map((entry) => [entry.role, entry.argv])).toEqual([
      ['notify_backup', ['/srv/keepdown.sh', 'backup arg', 'x']],
      ['notify', ['/srv/keep.sh', '--verbose', 'INSTANCE', 'VI_1', 'BACKUP', '100']],
    ]);
  });

  it('uses the matching specific script for each state', () => {
    const roles = (['MASTER', 'BACKUP', 'FAULT', 'STOP'] as const).map(
      (state) =>
        planNotifyScripts(scripts, { subject: 'INSTANCE', name: 'VI_1', state, priority: 50 })[0].role,
    );
    expect(roles).toEqual(['notify_master', 'notify_backup', 'notify_fault', 'notify_stop']);
  });

  it('reports priority 0 for a sync group whatever the caller passes', () => {
    const planned = planNotifyScripts(scripts, {
      subject: 'GROUP',
      name: 'G1',
      state: 'MASTER',
      priority: 150,
    });
    expect(planned[1].argv.slice(-4)).toEqual(['GROUP', 'G1', 'MASTER', '0']);
  });

  it('runs only what is configured: the seed article configures notify alone', () => {
    const planned = planNotifyScripts(
      { any: specFor(['/srv/keep.sh']) },
      { subject: 'INSTANCE', name: 'ROUTEUR_1', state: 'FAULT', priority: 50 },
    );
    expect(planned).toEqual([
      expect.objectContaining({
        role: 'notify',
        argv: ['/srv/keep.sh', 'INSTANCE', 'ROUTEUR_1', 'FAULT', '50'],
      }),
    ]);
    expect(planNotifyScripts({}, { subject: 'INSTANCE', name: 'x', state: 'MASTER', priority: 1 })).toEqual(
      [],
    );
  });

  it('does not alias the configured argv', () => {
    const planned = planNotifyScripts(scripts, {
      subject: 'INSTANCE',
      name: 'VI_1',
      state: 'MASTER',
      priority: 1,
    });
    planned[0].argv.push('mutated');
    expect(scripts.master?.argv).toEqual(['/srv/keepup.sh']);
  });

  it('keys instances and groups separately', () => {
    expect(notifyKey({ subject: 'INSTANCE', name: 'X' })).not.toBe(
      notifyKey({ subject: 'GROUP', name: 'X' }),
    );
  });
});

describe('keepalived event notifies', () => {
  const scripts: NotifyScripts = {
    deleted: specFor(['/usr/local/bin/gone', 'one']),
    masterRxLowerPri: specFor(['/usr/local/bin/lower']),
    any: specFor(['/usr/local/bin/notify']),
  };

  it('DELETED: notify_deleted with its own argv, then notify with INSTANCE NAME DELETED PRIO', () => {
    const planned = planNotifyScripts(scripts, {
      subject: 'INSTANCE',
      name: 'VI_1',
      state: 'DELETED',
      priority: 90,
    });
    expect(planned.map((p) => [p.role, p.argv])).toEqual([
      ['notify_deleted', ['/usr/local/bin/gone', 'one']],
      ['notify', ['/usr/local/bin/notify', 'INSTANCE', 'VI_1', 'DELETED', '90']],
    ]);
  });

  it('MASTER_RX_LOWER_PRI: only its own script, with its own argv', () => {
    const planned = planNotifyScripts(scripts, {
      subject: 'INSTANCE',
      name: 'VI_1',
      state: 'MASTER_RX_LOWER_PRI',
      priority: 90,
    });
    expect(planned.map((p) => [p.role, p.argv])).toEqual([
      ['notify_master_rx_lower_pri', ['/usr/local/bin/lower']],
    ]);
  });
});
