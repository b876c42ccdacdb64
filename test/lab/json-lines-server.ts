// Child side of json-lines.ts: reads requests from stdin, answers on stdout, and exits when
// stdin closes (so a test that dies still takes its children with it).

import { createInterface } from 'node:readline';

export type Handler = (params: Record<string, unknown>) => unknown;

export function emitEvent(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
}

export function serveJsonLines(
  handlers: Record<string, Handler>,
  onEnd: () => void = () => process.exit(0),
): void {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    let request: { id: number; method: string; params?: Record<string, unknown> };
    try {
      request = JSON.parse(line) as typeof request;
    } catch {
      emitEvent('bad-request', { line });
      return;
    }
    const handler = handlers[request.method];
    const reply = (body: { result?: unknown; error?: string }): void => {
      process.stdout.write(`${JSON.stringify({ id: request.id, ...body })}\n`);
    };
    if (!handler) {
      reply({ error: `unknown method ${request.method}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(request.params ?? {}))
      .then(
        (result) => reply({ result: result ?? null }),
        (error: unknown) => reply({ error: error instanceof Error ? `${error.message}` : String(error) }),
      );
  });
  lines.on('close', onEnd);
}
