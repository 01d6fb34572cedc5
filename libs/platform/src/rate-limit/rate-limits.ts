import { normalizeIp } from '@nestjs/throttler';
import type { Principal, Scope } from '../auth/api-keys';

/**
 * Rate limits, decided once from the configuration: which budget a route
 * spends, who spends it, and what a refusal says. Pure, so the rules are
 * unit-tested apart from Nest and the storage.
 *
 * "A rate and a burst" with @nestjs/throttler, which counts hits in windows:
 * every budget is two windows counted side by side, and a call must fit both.
 *   - burst: at most `burst` calls within 1 s — what a client may send at
 *     once after being quiet;
 *   - sustained: at most `perSecond` × 10 calls within 10 s — the rate,
 *     averaged over ten seconds so that one busy second is not a refusal.
 * A token bucket (rate r, size b) would say the same in one rule; two windows
 * say it with the library's own storages (in memory, and Redis shared by
 * replicas) instead of a counter of our own. Past either limit a client is
 * refused for that window's length, counted from its first refused call
 * (the library's block, the same in both storages): Retry-After says how long,
 * and refused calls do not count against what follows.
 */

export type BudgetName = 'api' | 'work' | 'health';
export type WindowName = 'burst' | 'sustained';

export interface RateBudget {
  readonly name: BudgetName;
  /** Calls per second, averaged over SUSTAINED_WINDOW_SECONDS. */
  readonly perSecond: number;
  /** Calls within any one second. */
  readonly burst: number;
  /**
   * The variables that set it, named in a refusal so the client (or its
   * operator) knows which one; burst null: no knob of its own, always twice the rate.
   */
  readonly knobs: { readonly perSecond: string; readonly burst: string | null };
}

export interface RateBudgets {
  /** Every route but the worker protocol and /health; null: not limited. */
  readonly api: RateBudget | null;
  /** The worker protocol (routes that need the `work` scope); null: not limited. */
  readonly work: RateBudget | null;
  /** /health (the public routes), always per client address; null: not limited (the default). */
  readonly health: RateBudget | null;
}

export const SUSTAINED_WINDOW_SECONDS = 10;

/** The two windows of every budget, as @nestjs/throttler throttlers (named, ttl in ms). */
export const RATE_WINDOWS: readonly { readonly name: WindowName; readonly ttlMs: number }[] = [
  { name: 'burst', ttlMs: 1_000 },
  { name: 'sustained', ttlMs: SUSTAINED_WINDOW_SECONDS * 1_000 },
];

/** What the knobs of the budgets say, as read by loadConfig (0: off; a burst of 0: twice the rate). */
interface BudgetKnobs {
  RATE_LIMIT_PER_SECOND: number;
  RATE_LIMIT_BURST: number;
  RATE_LIMIT_WORKER_PER_SECOND: number;
  RATE_LIMIT_WORKER_BURST: number;
  RATE_LIMIT_HEALTH_PER_SECOND: number;
}

export function rateBudgets(config: BudgetKnobs): RateBudgets {
  return {
    api: budget('api', config.RATE_LIMIT_PER_SECOND, config.RATE_LIMIT_BURST, { perSecond: 'RATE_LIMIT_PER_SECOND', burst: 'RATE_LIMIT_BURST' }),
    work: budget('work', config.RATE_LIMIT_WORKER_PER_SECOND, config.RATE_LIMIT_WORKER_BURST, {
      perSecond: 'RATE_LIMIT_WORKER_PER_SECOND',
      burst: 'RATE_LIMIT_WORKER_BURST',
    }),
    // Probes come at a steady interval, so a burst knob would buy nothing: twice the rate, like the others' default.
    health: budget('health', config.RATE_LIMIT_HEALTH_PER_SECOND, 0, { perSecond: 'RATE_LIMIT_HEALTH_PER_SECOND', burst: null }),
  };
}

/** Whether any budget is on; none is by default, and then no call is counted (nor the guard registered). */
export function anyBudget(budgets: RateBudgets): boolean {
  return budgets.api !== null || budgets.work !== null || budgets.health !== null;
}

function budget(name: BudgetName, perSecond: number, burst: number, knobs: RateBudget['knobs']): RateBudget | null {
  if (perSecond <= 0) return null;
  return { name, perSecond, burst: burst > 0 ? burst : 2 * perSecond, knobs };
}

/**
 * The rule of a burst knob, for the configuration: a burst needs its rate, and
 * a burst below the rate would make the rate a lie (no second could reach it).
 */
export function burstProblem(rateKnob: 'RATE_LIMIT_PER_SECOND' | 'RATE_LIMIT_WORKER_PER_SECOND') {
  return (burst: unknown, config: object): string | null => {
    const rate = (config as Partial<BudgetKnobs>)[rateKnob] ?? 0;
    if (typeof burst !== 'number' || burst <= 0) return null;
    if (!(typeof rate === 'number' && rate > 0)) return `a burst needs a rate: set ${rateKnob} too (the burst alone limits nothing)`;
    if (burst < rate) return `must be at least ${rateKnob} (${rate}): it is how many calls one second may take, the rate what ten seconds average`;
    return null;
  };
}

/** The budget a route spends: the health budget for public routes (/health), the worker budget for `work` routes, else the API's. */
export function budgetOfRoute(scope: Scope | null | undefined, budgets: RateBudgets): RateBudget | null {
  if (scope === null) return budgets.health;
  return scope === 'work' ? budgets.work : budgets.api;
}

export function windowLimit(budget: RateBudget, window: WindowName): number {
  return window === 'burst' ? budget.burst : budget.perSecond * SUSTAINED_WINDOW_SECONDS;
}

export function windowOfTtl(ttlMs: number): WindowName {
  return ttlMs === RATE_WINDOWS[0].ttlMs ? 'burst' : 'sustained';
}

/**
 * Who spends a budget: the API key (its id) when keys are configured, else
 * the client address — the connecting one, or the X-Forwarded-For one when
 * the connection comes from a TRUST_PROXY network (Fastify's request.ip).
 * The health budget is always per address: /health is open without a key,
 * so its callers have none to be told apart by.
 * IPv6 addresses count per /64, as one host usually holds a whole /64.
 */
export function trackerOf(request: { principal?: Principal; ip: string }, keyed: boolean, budget: BudgetName): string {
  if (!keyed || budget === 'health') return `ip:${normalizeIp(request.ip)}`;
  // The API key guard runs first (AuthModule registers it first) and sets it on every non-public route.
  if (!request.principal) throw new Error('rate limit checked before the API key guard found the caller');
  return `key:${request.principal.keyId}`;
}

/**
 * The storage key of one budget's window for one tracker: budgets and windows
 * are counted apart (the in-memory storage blocks per key), every route of a
 * budget together. Readable in Redis under RATE_LIMIT_REDIS_PREFIX.
 */
export function counterKey(budget: RateBudget, window: string, tracker: string): string {
  return `${budget.name}:${window}:${tracker}`;
}

/** Retry-After in whole seconds, at least 1 (0 would invite an immediate retry that is refused too). */
export function retryAfterSeconds(timeToBlockExpire: number): number {
  return Math.max(1, Math.ceil(timeToBlockExpire));
}

/** The 429 body in Herald's error shape, naming the limit that was passed and the knob that sets it. */
export function rateLimitedBody(budget: RateBudget, window: WindowName, tracker: string, retryAfter: number) {
  const who = tracker.startsWith('key:') ? `API key ${tracker.slice(4)}` : `address ${tracker.slice(3)}`;
  const calls = CALLS[budget.name];
  const { perSecond: rateKnob, burst: burstKnob } = budget.knobs;
  const limit =
    window === 'burst'
      ? `more than ${budget.burst} ${calls} within 1 s (${burstKnob ? `${burstKnob}=${budget.burst}` : `twice ${rateKnob}=${budget.perSecond}`})`
      : `more than ${windowLimit(budget, window)} ${calls} within ${SUSTAINED_WINDOW_SECONDS} s (${rateKnob}=${budget.perSecond} a second, averaged over ${SUSTAINED_WINDOW_SECONDS} s)`;
  return {
    statusCode: 429,
    error: 'Too Many Requests',
    code: 'RateLimited',
    message: `${who} sent ${limit}: retry after ${retryAfter} s (Retry-After), and spread calls out or ask the operator to raise ${
      window === 'burst' ? (burstKnob ?? rateKnob) : rateKnob
    }`,
  };
}

const CALLS: Record<BudgetName, string> = { api: 'calls', work: 'worker protocol calls', health: '/health calls' };
