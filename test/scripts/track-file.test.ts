import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  initialiseTrackFile,
  parseTrackFileValue,
  TrackFileWatcher,
  type FileTrackerState,
} from '../../src/scripts/track-file.js';
import { RecordingLogger, TempDir, waitFor } from './helpers.js';

describe('parseTrackFileValue (strtol base 0, clamped to ±254)', () => {
  it.each([
    ['42\n', 42],
    ['  -7 trailing', -7],
    ['+12', 12],
    ['0x1f', 31],
    ['010', 8],
    ['08', 0],
    ['0x', 0],
    ['abc', 0],
    ['', 0],
    ['1000', 254],
    ['-1000', -254],
  ])('%j reads as %d', (text, expected) => {
    expect(parseTrackFileValue(text)).toBe(expected);
  });

  it('a missing file reads as 0', () => {
    expect(parseTrackFileValue(null)).toBe(0);
  });
});

describe('TrackFileWatcher on a real file', () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = new TempDir();
  });
  afterAll(() => {
    dir.remove();
  });

  it('reads the initial value, then follows writes, renames and deletion', async () => {
    const file = dir.file('uplink.state');
    writeFileSync(file, '3\n');
    const changes: Array<[number, number]> = [];
    let last: FileTrackerState | null = null;
    const watcher = new TrackFileWatcher(
      { name: 'uplink', path: file, weight: -10, weightReverse: false },
      {
        logger: new RecordingLogger(),
        pollIntervalMs: 100,
        onChange: (state, previous) => {
          changes.push([previous, state.value]);
          last = state;
        },
      },
    );
    await watcher.start();
    try {
      expect(watcher.state()).toMatchObject({ kind: 'file', value: 3, contribution: -30, fault: false });
      // Replaced by rename (atomic, as editors and careful scripts do): every step is one change.
      const replace = (text: string): void => {
        writeFileSync(dir.file('uplink.tmp'), text);
        renameSync(dir.file('uplink.tmp'), file);
      };
      replace('30\n');
      expect(await waitFor(() => watcher.state().value === 30, 3000)).toBe(true);
      // 30 × -10 = -300 ≤ -254: FAULT.
      expect(last).toMatchObject({ value: 30, fault: true, contribution: 0 });
      replace('1\n');
      expect(await waitFor(() => watcher.state().value === 1, 3000)).toBe(true);
      rmSync(file);
      expect(await waitFor(() => watcher.state().value === 0, 3000)).toBe(true);
      expect(changes).toEqual([
        [3, 30],
        [30, 1],
        [1, 0],
      ]);
      // `echo 7 > file` (truncate, then write in place) ends at the written value.
      writeFileSync(file, '7\n');
      expect(await waitFor(() => watcher.state().value === 7, 3000)).toBe(true);
      expect(last).toMatchObject({ value: 7, contribution: -70 });
    } finally {
      watcher.stop();
    }
  });

  it('init_file creates the file with the value, and overwrite replaces it', async () => {
    const file = dir.file('init.state');
    expect(await initialiseTrackFile(file, 5)).toBeNull();
    expect(readFileSync(file, 'utf8')).toBe('5\n');
    expect(await initialiseTrackFile(file, 9)).toBeNull();
    expect(readFileSync(file, 'utf8')).toBe('5\n');
    expect(await initialiseTrackFile(file, 9, true)).toBeNull();
    expect(readFileSync(file, 'utf8')).toBe('9\n');
    expect(await initialiseTrackFile(dir.file('no/such/dir/x'), 1)).toMatch(/cannot initialise/);
  });
});
