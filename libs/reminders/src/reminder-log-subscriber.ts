import { Logger } from '@nestjs/common';
import { REMINDER_STREAM_PREFIX } from './domain';
import { CheckpointStore, CheckpointedSubscriber, EventStore, RecordedEvent } from '@herald/event-store';

/** A checkpointed subscriber to the reminder streams, logging failed batches (which it retries). */
export function reminderLogSubscriber(
  name: string,
  events: EventStore,
  checkpoints: CheckpointStore,
  handle: (events: RecordedEvent[]) => Promise<void>,
  logger: Logger,
): CheckpointedSubscriber {
  return new CheckpointedSubscriber({
    name,
    events,
    checkpoints,
    streamPrefix: REMINDER_STREAM_PREFIX,
    handle,
    onError: (error, batch) => logger.error({ err: error, from: batch[0].position, events: batch.length }, `${name} failed; retrying`),
  });
}
