// Reading a netgwm.yml through the configuration's file interface, so the daemon, `--config-test`
// and tests (with memoryFileSource) load it the same way.

import type { DiagnosticSink } from './report/diagnostics.js';
import { DiagnosticCodes } from './report/diagnostics.js';
import type { ConfigFileSource } from './language/file-source.js';
import { parseNetgwmConfig, type NetgwmConfig } from './netgwm.js';

export function loadNetgwmConfig(
  filePath: string,
  source: ConfigFileSource,
  sink: DiagnosticSink,
): NetgwmConfig | null {
  const read = source.readFile(filePath);
  if (!read.ok) {
    sink.report(DiagnosticCodes.file, { file: filePath, line: 0 }, `cannot read netgwm.yml: ${read.reason}`);
    return null;
  }
  return parseNetgwmConfig(read.text, filePath, sink);
}
