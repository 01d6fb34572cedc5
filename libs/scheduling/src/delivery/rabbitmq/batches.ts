import { DueEntry } from '../../due-entry';

/**
 * Entries due within this span of each other travel in one AMQP message,
 * routed by the earliest; the consumer holds each to its own time. At 5,000
 * callbacks/s one message per callback kept the broker's core busy (its
 * per-message cost: persistence, confirm, delivery, ack) and the full stack
 * seconds behind; a batch pays that cost once.
 */
export const BATCH_SPAN_MS = 1_000;

/** Splits entries into AMQP messages: one topic each, sorted by due time, at most `size` each, spanning at most BATCH_SPAN_MS. */
export function batches(entries: readonly DueEntry[], size: number): DueEntry[][] {
  const sorted = [...entries].sort((a, b) => a.dueAt - b.dueAt);
  const open = new Map<string, DueEntry[]>();
  const result: DueEntry[][] = [];
  for (const entry of sorted) {
    const current = open.get(entry.topic);
    if (current && current.length < size && entry.dueAt - current[0].dueAt <= BATCH_SPAN_MS) {
      current.push(entry);
      continue;
    }
    const batch = [entry];
    open.set(entry.topic, batch);
    result.push(batch);
  }
  return result;
}

/**
 * Reads a message body: an array of entries, or one entry. Messages written
 * before topics existed hold `{ reminderId, attempt, dueAt }` reminder callbacks.
 */
export function parseEntries(content: Buffer): DueEntry[] {
  const parsed: unknown = JSON.parse(content.toString());
  return (Array.isArray(parsed) ? parsed : [parsed]).map(toEntry);
}

function toEntry(raw: unknown): DueEntry {
  const o = raw as Record<string, unknown>;
  if (typeof o.topic === 'string') return o as unknown as DueEntry;
  if (typeof o.reminderId === 'string') return { topic: 'callbacks', key: o.reminderId, sequence: Number(o.attempt), dueAt: Number(o.dueAt) };
  throw new Error('not a due entry');
}
