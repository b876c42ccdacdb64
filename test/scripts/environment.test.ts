import { describe, expect, it } from 'vitest';
import {
  cleanScriptEnvironment,
  DEFAULT_SCRIPT_PATH,
  isRemovedVariable,
} from '../../src/scripts/environment.js';
import { BoundedCapture } from '../../src/scripts/output-capture.js';

describe('cleanScriptEnvironment', () => {
  it('drops loader and shell start-up variables and keeps the rest', () => {
    const cleaned = cleanScriptEnvironment({
      PATH: '/opt/bin:/usr/bin',
      LANG: 'fr_FR.UTF-8',
      LD_PRELOAD: '/x.so',
      LD_AUDIT: '/y.so',
      IFS: ':',
      ENV: '/root/.shrc',
      'BASH_FUNC_ls%%': '() { :; }',
      NODE_OPTIONS: '--require /x.js',
      UNSET: undefined,
    });
    expect(cleaned).toEqual({ PATH: '/opt/bin:/usr/bin', LANG: 'fr_FR.UTF-8' });
  });

  it('gives a default PATH when the daemon has none or an empty one', () => {
    expect(cleanScriptEnvironment({}).PATH).toBe(DEFAULT_SCRIPT_PATH);
    expect(cleanScriptEnvironment({ PATH: '' }).PATH).toBe(DEFAULT_SCRIPT_PATH);
  });

  it('matches LD_ by prefix only', () => {
    expect(isRemovedVariable('LD_LIBRARY_PATH')).toBe(true);
    expect(isRemovedVariable('OLD_PWD')).toBe(false);
  });
});

describe('BoundedCapture', () => {
  it('keeps the first bytes across chunks and counts the rest', () => {
    const capture = new BoundedCapture(5);
    capture.append(Buffer.from('abc'));
    capture.append(Buffer.from('defgh'));
    capture.append(Buffer.from('ij'));
    expect(capture.text()).toBe('abcde');
    expect(capture.truncated).toBe(true);
    expect(capture.totalBytes).toBe(10);
  });

  it('is not truncated at exactly the limit', () => {
    const capture = new BoundedCapture(3);
    capture.append(Buffer.from('abc'));
    expect(capture.truncated).toBe(false);
  });
});
