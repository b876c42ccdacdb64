// Reading an `ip route` / `ip rule`-style line word by word: options that take the following
// word as their value, and one "the line is bad" flag shared by every failure on it (each
// failure is reported once, where it was found).

import type { ConfigWord } from '../language/block-tree.js';
import type { BuildContext } from './scalars.js';
import { reportInvalid } from './scalars.js';

export class WordReader {
  /** False once any word of the line failed to parse. */
  ok = true;
  private index = -1;

  constructor(
    private readonly words: readonly ConfigWord[],
    private readonly ctx: BuildContext,
    /** Prefix of every message, e.g. "virtual_routes". */
    private readonly label: string,
  ) {}

  /** The next word, or undefined at the end of the line. */
  next(): ConfigWord | undefined {
    this.index++;
    return this.words[this.index];
  }

  /** Steps back one word (the next call to next() returns the current word again). */
  back(): void {
    this.index--;
  }

  /** The next word without consuming it. */
  peekNext(): ConfigWord | undefined {
    return this.words[this.index + 1];
  }

  /** The word after the next one, without consuming anything. */
  peekAfterNext(): ConfigWord | undefined {
    return this.words[this.index + 2];
  }

  /** Consumes the value of option `word` (the word after it); reports a missing one. */
  value(word: ConfigWord): ConfigWord | null {
    const next = this.words[this.index + 1];
    if (!next) {
      this.fail(word, `'${word.text}' needs a value`);
      return null;
    }
    this.index++;
    return next;
  }

  /** Passes a parsed value through, remembering a failure (the parser has already reported it). */
  keep = <T>(parsed: T | null): T | null => {
    if (parsed === null) this.ok = false;
    return parsed;
  };

  fail = (word: ConfigWord, message: string, hint?: string): void => {
    reportInvalid(this.ctx, word.source, `${this.label}: ${message}`, hint);
    this.ok = false;
  };
}
