/**
 * Bounds the values of a label that clients choose (a task's type): every
 * value is a time series of its own, so the first `max` values seen are
 * kept as they are and any later one becomes `overflow`. Values once kept
 * stay kept for the life of the process (a series never changes name
 * half way). A Set lookup per call: cheap enough for every event.
 */
export class CappedLabel {
  private readonly kept = new Set<string>();

  constructor(
    readonly max: number,
    readonly overflow = 'other',
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a positive integer, got ${max}`);
  }

  value(raw: string): string {
    if (this.kept.has(raw)) return raw;
    if (this.kept.size >= this.max) return this.overflow;
    this.kept.add(raw);
    return raw;
  }
}
