import { v5 as uuidv5 } from 'uuid';

/** Herald's namespace for the ids of what schedule occurrences create (random, fixed forever). */
const OCCURRENCE_NAMESPACE = '5b0b7a4e-3f8c-4d0a-9e57-6c1f1f4b2d19';

/**
 * The id of the reminder or task an occurrence creates: derived from the
 * schedule and the occurrence's instant, and created at `no_stream`, so a
 * crash, a replay or two scheduler replicas can never create two.
 */
export function occurrenceTargetId(scheduleId: string, scheduledFor: string): string {
  return uuidv5(`${scheduleId}/${new Date(scheduledFor).toISOString()}`, OCCURRENCE_NAMESPACE);
}
