import { CheckpointStore, EventStore } from '@herald/event-store';
import { ProjectionDefinition } from './projection';

export interface RebuildReport {
  projection: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

/**
 * Rebuilds one projection from position 0: truncate, apply every event of
 * its categories up to the head of the log as it is now, then store the
 * checkpoint there so the running projection carries on from the head
 * instead of replaying again. Errors stop the rebuild (nothing is parked).
 */
export async function rebuildProjection(events: EventStore, checkpoints: CheckpointStore, definition: ProjectionDefinition): Promise<RebuildReport> {
  const started = process.hrtime.bigint();
  const head = await events.headPosition();
  await definition.truncate();
  let count = 0;
  if (head !== null) {
    // Unfiltered, so that the walk sees the head even when the last event is of another category.
    const mine = (stream: string) => definition.categories.some((prefix) => stream.startsWith(prefix));
    await new Promise<void>((resolve, reject) => {
      const subscription = events.subscribeToAll(
        { after: null },
        async (batch) => {
          const relevant = batch.filter((e) => mine(e.stream));
          if (relevant.length > 0) await definition.handle(relevant);
          count += relevant.length;
          if (batch.some((e) => e.position === head)) void subscription.stop().then(resolve);
        },
        (error) => void subscription.stop().then(() => reject(error)),
      );
    });
    await checkpoints.save(definition.name, head);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { projection: definition.name, events: count, seconds, eventsPerSecond: count / seconds };
}
