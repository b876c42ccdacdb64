import { describe, expect, it } from 'vitest';
import {
  isStatsSnapshot,
  isStatusSnapshot,
  validateStatsSnapshot,
  validateStatusSnapshot,
} from '../../src/control/status-validate.js';
import { masterInstance, sampleStats, sampleStatus } from './fixtures.js';

type Json = Record<string, unknown>;

function mutated(change: (snapshot: Json & { instances: Json[]; uplinks: Json[] }) => void): unknown {
  const snapshot = JSON.parse(JSON.stringify(sampleStatus()));
  change(snapshot);
  return snapshot;
}

describe('status --json schema', () => {
  it('accepts a snapshot with every field the issue lists, after a JSON round trip', () => {
    const snapshot = JSON.parse(JSON.stringify(sampleStatus()));
    expect(validateStatusSnapshot(snapshot)).toEqual([]);
    expect(isStatusSnapshot(snapshot)).toBe(true);
    expect(Object.keys(masterInstance()).sort()).toEqual(
      [
        'name',
        'interface',
        'vrid',
        'version',
        'state',
        'priority',
        'effectivePriority',
        'masterAddress',
        'advertInterval',
        'masterDownInterval',
        'vips',
        'lastTransition',
        'lastTransitionReason',
        'trackers',
        'counters',
        'maintenance',
        'priorityOverride',
        'releasing',
        'vmacs',
        'ipvlans',
      ].sort(),
    );
    expect(Object.keys(masterInstance().counters).sort()).toEqual(
      [
        'advertsRx',
        'advertsTx',
        'becameMaster',
        'releasedMaster',
        'priorityZeroRx',
        'priorityZeroTx',
        'drops',
      ].sort(),
    );
  });

  it('accepts no instances and no uplinks', () => {
    expect(validateStatusSnapshot({ instances: [], uplinks: [], uplinkGroups: [] })).toEqual([]);
  });

  it('accepts a gateway given by device only, and checks uplink groups', () => {
    expect(
      validateStatusSnapshot(
        mutated((s) => {
          s.uplinks[0]!.ip = '';
        }),
      ),
    ).toEqual([]);
    expect(
      validateStatusSnapshot(
        mutated((s) => {
          const group = (s.uplinkGroups as Json[])[0]!;
          group.role = 'owner';
          group.switches = -1;
          delete group.follows;
        }),
      ),
    ).toEqual([
      '$.uplinkGroups[0].role: expected one of master, backup, standalone',
      '$.uplinkGroups[0].follows: missing',
      '$.uplinkGroups[0].switches: expected an integer in 0..9007199254740991',
    ]);
    expect(
      validateStatusSnapshot(
        mutated((s) => {
          delete s.uplinks[0]!.group;
        }),
      ),
    ).toEqual(['$.uplinks[0].group: missing']);
  });

  it('names the path of each departure from the schema', () => {
    expect(
      validateStatusSnapshot(
        mutated((s) => {
          s.instances[0]!.state = 2;
        }),
      ),
    ).toEqual(['$.instances[0].state: expected one of INIT, BACKUP, MASTER, FAULT']);
    expect(
      validateStatusSnapshot(
        mutated((s) => {
          s.instances[1]!.state = 'Master';
        }),
      ),
    ).toEqual(['$.instances[1].state: expected one of INIT, BACKUP, MASTER, FAULT']);
    expect(
      validateStatusSnapshot(
        mutated((s) => {
          delete s.instances[0]!.effectivePriority;
        }),
      ),
    ).toEqual(['$.instances[0].effectivePriority: missing']);
    expect(
      validateStatusSnapshot(
        mutated((s) => {
          s.instances[0]!.lastTransition = 'yesterday';
          s.instances[0]!.vrid = 256;
        }),
      ),
    ).toEqual([
      '$.instances[0].vrid: expected an integer in 1..255',
      '$.instances[0].lastTransition: expected an ISO 8601 time',
    ]);
    expect(
      validateStatusSnapshot(
        mutated((s) => {
          (s.instances[0]!.counters as Json).drops = { checksum: -1 };
        }),
      ),
    ).toEqual(['$.instances[0].counters.drops.checksum: expected an integer in 0..9007199254740991']);
    expect(
      validateStatusSnapshot(
        mutated((s) => {
          (s.instances[0]!.trackers as Json[])[0]!.kind = 'link';
        }),
      ),
    ).toEqual(['$.instances[0].trackers[0].kind: expected one of script, interface, file, process, bfd']);
    expect(
      validateStatusSnapshot(
        mutated((s) => {
          s.uplinks[0]!.loss = 75;
          s.uplinks[1]!.extra = true;
        }),
      ),
    ).toEqual(['$.uplinks[0].loss: expected 0..1', '$.uplinks[1].extra: not part of the schema']);
    expect(validateStatusSnapshot({ instances: [] })).toEqual([
      '$.uplinks: missing',
      '$.uplinkGroups: missing',
    ]);
    expect(validateStatusSnapshot(null)).toEqual(['$: expected an object']);
  });
});

describe('stats --json schema', () => {
  it('accepts the stats snapshot and rejects a broken one', () => {
    expect(validateStatsSnapshot(JSON.parse(JSON.stringify(sampleStats())))).toEqual([]);
    expect(isStatsSnapshot(sampleStats())).toBe(true);
    const broken = { ...sampleStats(), since: 0 };
    expect(validateStatsSnapshot(broken)).toEqual(['$.since: expected an ISO 8601 time']);
  });
});
