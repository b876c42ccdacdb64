// One way to turn whatever was thrown into text or an Error, for log fields and error values.

/** The message of an Error, or the thrown value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The thrown value as an Error (callbacks and result values carry Errors, never `unknown`). */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
