import { RecordedEvent } from '@herald/event-store';
import { ViewShape, ViewStore } from '@herald/view-store';
import { ProjectionDefinition } from './projection';
import { ViewFold } from './view-from-stream';

export interface ViewProjectionOptions<V extends ViewShape, E extends { type: string }> extends ViewFold<V, E> {
  readonly name: string;
  readonly categories: readonly string[];
  readonly store: ViewStore<V>;
  /** The view an event belongs to. */
  readonly idOf: (event: E) => string;
  /** True for the event that starts a view: a view whose first event in a batch is this needs no read. */
  readonly creates: (event: E) => boolean;
}

/** A read model as a fold over one category's events, written by a revision-guarded view store. */
export function viewProjection<V extends ViewShape, E extends { type: string }>(o: ViewProjectionOptions<V, E>): ProjectionDefinition {
  return {
    name: o.name,
    categories: o.categories,
    gathers: 'readModel',
    handle: (events) => applyToViews(o, events),
    truncate: () => o.store.clear(),
  };
}

/**
 * A batch of events into the read model: one read of the views involved,
 * the fold in memory, one write of the views that changed. Events already
 * applied (at or below a view's revision) change nothing, so replays and
 * redeliveries are harmless.
 */
export async function applyToViews<V extends ViewShape, E extends { type: string }>(
  o: ViewProjectionOptions<V, E>,
  events: RecordedEvent[],
): Promise<void> {
  const relevant = events.filter((e) => o.isEvent(e));
  if (relevant.length === 0) return;
  // A view whose first event here creates it needs no read: the store's
  // revision guard already keeps a replayed creation from overwriting a later view.
  const createdHere = new Set<string>();
  const toFetch = new Set<string>();
  for (const e of relevant) {
    const id = o.idOf(e);
    if (createdHere.has(id) || toFetch.has(id)) continue;
    (o.creates(e) ? createdHere : toFetch).add(id);
  }
  const current = new Map((await o.store.getMany([...toFetch])).map((v) => [v.id, v]));
  const changed = new Set<string>();
  for (const event of relevant) {
    const id = o.idOf(event);
    const view = current.get(id) ?? null;
    if (view && view.revision >= event.revision) continue; // already applied
    const next = o.project(view, event, event.revision, event.recordedAt);
    if (!next) continue;
    current.set(id, next);
    changed.add(id);
  }
  await o.store.saveMany([...changed].map((id) => current.get(id)!));
}
