import { v5 as uuidv5, validate as isUuid } from 'uuid';
import { EventToAppend } from './event-store.port';

/**
 * Fixed namespaces of Herald's name-based (v5) event ids. Changing one
 * changes every id derived from it: a retried command would no longer be
 * recognised as the same append, so these never change.
 */
const COMMAND_EVENT_NAMESPACE = 'e0d4c90a-a477-4f9c-b2d8-55a7ac163464';
const LEGACY_EVENT_NAMESPACE = '9b5fd393-72ab-4a83-946a-e7c9846f9f05';

/** The id of a command's `index`-th event: the same on every retry of that command. */
export function commandEventId(commandId: string, index: number): string {
  return uuidv5(`${commandId}:${index}`, COMMAND_EVENT_NAMESPACE);
}

/** The id of an event stored before events had ids: stable, derived from where it sits. */
export function legacyEventId(stream: string, revision: number): string {
  return uuidv5(`${stream}:${revision}`, LEGACY_EVENT_NAMESPACE);
}

export { isUuid };

/** Rejects a malformed id before anything is written: EventStoreDB would refuse it too. */
export function assertEventIds(events: readonly EventToAppend[]): void {
  for (const event of events) {
    if (event.id !== undefined && !isUuid(event.id)) throw new TypeError(`event id is not a UUID: ${JSON.stringify(event.id)}`);
  }
}
