/**
 * "Occurrence `sequence` of `key` on `topic` falls due at `dueAt`": what the
 * scheduler keeps in its time index, hands to the transport and a consumer
 * of the topic receives. Every capability speaks it: a reminder's callback
 * attempt (topic `callbacks`, key = reminder id, sequence = attempt), a task's
 * delayed start or lease expiry, a schedule's next occurrence.
 */
export interface DueEntry {
  /** Names the consumer (and, over RabbitMQ, its work queue): lowercase letters, digits and dashes. */
  readonly topic: string;
  /** One pending entry per (topic, key): usually the aggregate's id. */
  readonly key: string;
  /** Which occurrence: a newer sequence replaces an older one, an older one is ignored. */
  readonly sequence: number;
  /** Epoch milliseconds. */
  readonly dueAt: number;
}

/** The identity of one occurrence: the transport's dedup key and message id. */
export const dueEntryId = (e: Pick<DueEntry, 'topic' | 'key' | 'sequence'>) => `${e.topic}:${e.key}:${e.sequence}`;

export type DueEntryRef = Pick<DueEntry, 'topic' | 'key'>;

const TOPIC = /^[a-z0-9-]{1,64}$/;

/** Topics become queue names and routing-key words: keep them to what both allow unescaped. */
export function assertTopic(topic: string): void {
  if (!TOPIC.test(topic)) throw new Error(`topic ${JSON.stringify(topic)} must be 1-64 characters of a-z, 0-9 and -`);
}
