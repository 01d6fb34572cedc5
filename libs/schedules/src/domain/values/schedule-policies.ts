/** Task targets: what an occurrence does while the previous occurrence's task has not finished. */
export type OverlapPolicy = 'skip' | 'allow' | 'bufferOne';
export const OVERLAP_POLICIES: readonly OverlapPolicy[] = ['skip', 'allow', 'bufferOne'];

/** What happens to occurrences that came while Herald was down. */
export type CatchupPolicy = 'skip' | 'latest' | 'all';
export const CATCHUP_POLICIES: readonly CatchupPolicy[] = ['skip', 'latest', 'all'];

export interface Catchup {
  readonly policy: CatchupPolicy;
  /** `all` fires at most this many of them (the most recent). */
  readonly max: number;
  /** Older missed occurrences are never fired, whatever the policy. */
  readonly windowMs: number;
}

export const CATCHUP_DEFAULTS: Catchup = { policy: 'latest', max: 100, windowMs: 24 * 3_600_000 };
export const OVERLAP_DEFAULT: OverlapPolicy = 'skip';

export function overlapProblem(value: unknown): string | null {
  return OVERLAP_POLICIES.includes(value as OverlapPolicy) ? null : `overlap must be one of ${OVERLAP_POLICIES.join(', ')}`;
}

export function catchupPolicyProblem(value: unknown): string | null {
  return CATCHUP_POLICIES.includes(value as CatchupPolicy) ? null : `catchup must be one of ${CATCHUP_POLICIES.join(', ')}`;
}
