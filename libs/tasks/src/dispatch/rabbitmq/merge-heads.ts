import { ReadyTask } from '../task-queue.port';
import { before } from './task-message';

export interface Head {
  readonly task: ReadyTask;
}

/**
 * Up to `max` of the best tasks across several queues, each of which hands
 * out its own best first (a priority queue, FIFO within a priority): a k-way
 * merge. One head is fetched per type; the best is taken and only its own
 * queue is asked for the next one. The heads left when `max` is reached go
 * back to their queues (at most one per other type): the requeue churn is
 * bounded by the number of types per take, never per task, and a take of a
 * single type causes none.
 */
export async function mergeHeads<H extends Head>(
  types: readonly string[],
  max: number,
  next: (type: string) => Promise<H | null>,
): Promise<{ taken: H[]; leftover: H[] }> {
  const heads = new Map<string, H>();
  if (max <= 0) return { taken: [], leftover: [] };
  for (const type of new Set(types)) await refill(heads, type, next);
  const taken: H[] = [];
  while (taken.length < max && heads.size > 0) {
    const [type, best] = bestOf(heads);
    heads.delete(type);
    taken.push(best);
    if (taken.length < max) await refill(heads, type, next);
  }
  return { taken, leftover: [...heads.values()] };
}

async function refill<H extends Head>(heads: Map<string, H>, type: string, next: (type: string) => Promise<H | null>): Promise<void> {
  const head = await next(type);
  if (head) heads.set(type, head);
}

function bestOf<H extends Head>(heads: ReadonlyMap<string, H>): [string, H] {
  let best: [string, H] | null = null;
  for (const entry of heads) if (!best || before(entry[1].task, best[1].task) < 0) best = entry;
  return best!;
}
