import { EventStore, RecordedEvent } from '@herald/event-store';
import { ViewShape, ViewStore } from '@herald/view-store';

/** How a read model folds one view's events: the part of a view projection that needs no store. */
export interface ViewFold<V extends ViewShape, E extends { type: string }> {
  readonly isEvent: (event: { type: string }) => event is E;
  /** The pure fold: the view after the event at `revision`; null when there is none (an event without its creation). */
  readonly project: (view: V | null, event: E, revision: number, recordedAt: Date) => V | null;
}

/**
 * The view folded from its own stream alone: what the read model holds once
 * it has caught up with these events. Commands answer with it, and reads
 * fall back on it (viewById).
 */
export function viewFromStream<V extends ViewShape, E extends { type: string }>(fold: ViewFold<V, E>, events: readonly RecordedEvent[]): V | null {
  return events.reduce<V | null>((view, e) => (fold.isEvent(e) ? fold.project(view, e, e.revision, e.recordedAt) : view), null);
}

/**
 * The view as its stream says now, for answering a command that has just
 * succeeded on it: exact, whatever the projection's lag. The stream exists
 * by then, so a stream without the view's events is a bug, not a 404.
 */
export async function currentView<V extends ViewShape, E extends { type: string }>(
  events: EventStore,
  fold: ViewFold<V, E>,
  stream: string,
): Promise<V> {
  const view = viewFromStream(fold, await events.readStream(stream));
  if (!view) throw new Error(`${stream} holds no events of its view`);
  return view;
}

/**
 * One view by id for a read: from the read model, or, while the read model
 * has not yet caught up with the stream that creates it, folded from that
 * stream. A client that reads what it has just created finds it whatever
 * the projection's lag (read your writes); an unknown id costs one read of
 * an empty stream more. A view that exists but trails its stream is
 * answered as it is: lists show the same, and a command's answer is fresh.
 */
export async function viewById<V extends ViewShape, E extends { type: string }>(
  views: ViewStore<V>,
  events: EventStore,
  fold: ViewFold<V, E>,
  id: string,
  stream: string,
): Promise<V | null> {
  return (await views.get(id)) ?? viewFromStream(fold, await events.readStream(stream));
}
