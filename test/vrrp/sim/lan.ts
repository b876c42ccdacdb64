// The simulated broadcast segment: per-link one-way delay, per-link loss probability and
// partitions. Links are directed (from → to) so asymmetric faults can be modelled.

import type { Prng } from './prng.js';

export class Lan {
  private readonly delays = new Map<string, number>();
  private readonly losses = new Map<string, number>();
  private defaultLoss = 0;
  /** null = whole; otherwise each node can only reach nodes of its own side. */
  private sides: Map<string, number> | null = null;

  constructor(
    private readonly prng: Prng,
    private defaultDelayMs: number,
  ) {}

  private static key(from: string, to: string): string {
    return `${from}->${to}`;
  }

  setDelay(from: string, to: string, delayMs: number): void {
    this.delays.set(Lan.key(from, to), delayMs);
  }

  setDefaultDelay(delayMs: number): void {
    this.defaultDelayMs = delayMs;
  }

  delay(from: string, to: string): number {
    return this.delays.get(Lan.key(from, to)) ?? this.defaultDelayMs;
  }

  /** Loss probability on every link without its own setting. */
  setLoss(probability: number): void {
    this.defaultLoss = probability;
  }

  setLinkLoss(from: string, to: string, probability: number): void {
    this.losses.set(Lan.key(from, to), probability);
  }

  clearLoss(): void {
    this.defaultLoss = 0;
    this.losses.clear();
  }

  /** Draws from the seeded generator: deterministic for a given seed and send order. */
  drops(from: string, to: string): boolean {
    return this.prng.chance(this.losses.get(Lan.key(from, to)) ?? this.defaultLoss);
  }

  /** Splits the segment; nodes not listed are cut off from everyone. */
  partition(sides: readonly (readonly string[])[]): void {
    const map = new Map<string, number>();
    sides.forEach((side, index) => side.forEach((node) => map.set(node, index)));
    this.sides = map;
  }

  heal(): void {
    this.sides = null;
  }

  get partitioned(): boolean {
    return this.sides !== null;
  }

  connected(from: string, to: string): boolean {
    if (this.sides === null) return true;
    const a = this.sides.get(from);
    return a !== undefined && a === this.sides.get(to);
  }
}
