// The log catalogue: stable unique codes, templates filled from the line's fields, and
// docs/log-messages.md rendered from it.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { callbackLogger, type LogFields } from '../../src/runtime/log.js';
import {
  LOG,
  LOG_DOC_BEGIN,
  LOG_DOC_END,
  LOG_PARTS,
  renderLogCatalogue,
  say,
} from '../../src/runtime/messages.js';
import { UPLINK_LOG } from '../../src/runtime/messages-uplinks.js';

describe('log catalogue', () => {
  it('has one unique VRRPD_ code per entry', () => {
    const codes = Object.values(LOG).map((entry) => entry.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^VRRPD_[A-Z0-9_]+$/);
  });

  it('holds the uplink part (VRRPD_UPLINK_*) without any of its names replacing a core entry', () => {
    const { core, uplinks } = LOG_PARTS;
    expect(core.filter((name) => uplinks.includes(name))).toEqual([]);
    expect(Object.keys(LOG)).toHaveLength(core.length + uplinks.length);
    for (const entry of Object.values(UPLINK_LOG)) expect(entry.code).toMatch(/^VRRPD_UPLINK_/);
    expect(renderLogCatalogue()).toContain('| `VRRPD_UPLINK_SWITCH` | info | default route replaced: {to}');
  });

  it('say() writes the code and the fields, the template filled from them, at the entry’s level', () => {
    const lines: Array<[string, LogFields, string]> = [];
    const logger = callbackLogger((level, fields, message) => lines.push([level, fields, message]));
    say(logger, LOG.transition, { instance: 'VI_1', from: 'BACKUP', to: 'MASTER', priority: 200 });
    say(logger, LOG.dropsSuppressed, { count: 12, reason: 'ip_ttl' });
    say(logger, LOG.scriptExited, { label: 'notify_master VI_1', exitCode: 3 }, 'warn');
    expect(lines).toEqual([
      [
        'info',
        { code: 'VRRPD_TRANSITION', instance: 'VI_1', from: 'BACKUP', to: 'MASTER', priority: 200 },
        '(VI_1) Entering MASTER STATE',
      ],
      [
        'warn',
        { code: 'VRRPD_DROPS_SUPPRESSED', count: 12, reason: 'ip_ttl' },
        '12 more packets with ip_ttl were not logged',
      ],
      [
        'warn',
        { code: 'VRRPD_SCRIPT_EXIT', label: 'notify_master VI_1', exitCode: 3 },
        'notify_master VI_1: exited 3',
      ],
    ]);
  });

  it('docs/log-messages.md holds the table exactly as the catalogue renders it', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../docs/log-messages.md', import.meta.url)), 'utf8');
    const start = doc.indexOf(LOG_DOC_BEGIN);
    const end = doc.indexOf(LOG_DOC_END);
    expect(start).toBeGreaterThanOrEqual(0);
    // On failure: replace the section with the output of renderLogCatalogue().
    expect(doc.slice(start, end + LOG_DOC_END.length)).toBe(renderLogCatalogue());
  });
});
