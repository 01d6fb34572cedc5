import { RecordedEvent } from '@herald/event-store';
import { ProjectionDefinition } from './projection';
import { isTransientStoreError } from './transient-errors';

export interface ParkedEvent {
  readonly stream: string;
  readonly revision: number;
  readonly position: string;
  readonly type: string;
  readonly error: string;
  readonly parkedAt: string;
}

export interface ParkingOptions {
  /** Tries of a batch before its events are tried one by one and failing ones parked. */
  readonly maxTries: number;
  readonly backoffMs: number;
  readonly isStopped: () => boolean;
  readonly onRetry: (error: unknown, events: RecordedEvent[], tries: number) => void;
  readonly onPark: (parked: ParkedEvent) => void;
  /** Throws when the projection's store is down; used when the definition has no probe of its own. */
  readonly storeProbe: () => Promise<void>;
}

/**
 * Wraps a projection's handler so that a batch that keeps failing does not
 * block it for ever: after `maxTries`, when the projection's store answers
 * its probe and the error is not a store's transient one (so this is not an
 * outage), the events are handled one at a time
 * and each that still fails is parked — logged, listed in /health, and
 * skipped. When the store is down the error goes back to the subscription,
 * which retries with backoff and never skips: an outage parks nothing.
 */
export function parkingHandler(definition: ProjectionDefinition, options: ParkingOptions) {
  return async (events: RecordedEvent[]): Promise<void> => {
    let lastError: unknown;
    for (let tries = 1; tries <= options.maxTries; tries++) {
      try {
        return await definition.handle(events);
      } catch (error) {
        lastError = error;
        options.onRetry(error, events, tries);
        if (tries < options.maxTries && !options.isStopped()) await sleep(options.backoffMs * 2 ** (tries - 1));
      }
    }
    if (options.isStopped() || isTransientStoreError(lastError) || !(await storeAnswers(definition, options))) throw lastError;
    for (const event of events) await handleOneOrPark(definition, event, options);
  };
}

async function handleOneOrPark(definition: ProjectionDefinition, event: RecordedEvent, options: ParkingOptions): Promise<void> {
  try {
    await definition.handle([event]);
  } catch (error) {
    // The store failing now is an outage after all: do not park what it could not take.
    if (isTransientStoreError(error) || !(await storeAnswers(definition, options))) throw error;
    const { stream, revision, position, type } = event;
    options.onPark({
      stream,
      revision,
      position,
      type,
      error: error instanceof Error ? error.message : String(error),
      parkedAt: new Date().toISOString(),
    });
  }
}

async function storeAnswers(definition: ProjectionDefinition, options: ParkingOptions): Promise<boolean> {
  try {
    await (definition.probe ?? options.storeProbe)();
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
