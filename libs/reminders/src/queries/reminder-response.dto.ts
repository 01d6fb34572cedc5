import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime, ApiJsonValue, ApiUuid, AssertSameShape } from '@herald/platform';
import { ReminderStatus } from '../domain';
import type { toReminderResponse } from './reminder-response';

/** A reminder: GET /api/v1/reminders/:id, the list's items, the answer of reschedule and retrigger. */
export class ReminderDto {
  @ApiUuid()
  id!: string;

  status!: ReminderStatus;

  /** Seconds until it is due; 0 once it is not Active. */
  timeLeft!: number;

  /** When its current run is (or was) due. */
  @ApiDateTime()
  dueAt!: string;

  /** When the next attempt is due while Active; null once finished. */
  @ApiDateTime()
  nextAttemptAt!: string | null;

  /** Where the callback goes. */
  address!: string;

  /** What the callback sends, as defined. */
  @ApiJsonValue()
  payload!: unknown;

  /** The names of the headers the callback sends: values may be credentials and are never shown. */
  headerNames!: string[];

  @ApiProperty({ type: 'integer' })
  maxAttempts!: number;

  @ApiProperty({ type: 'integer' })
  timeoutMs!: number;

  /** Attempts made in this run (a retrigger starts over). */
  @ApiProperty({ type: 'integer' })
  attempts!: number;

  /** Why the last attempt failed. */
  lastError!: string | null;

  /** The receiver's status code on the last attempt that got an answer. */
  @ApiProperty({ type: 'integer' })
  lastStatusCode!: number | null;

  @ApiDateTime()
  createdAt!: string;

  @ApiDateTime()
  updatedAt!: string;

  @ApiDateTime()
  completedAt!: string | null;

  @ApiDateTime()
  failedAt!: string | null;

  @ApiDateTime()
  cancelledAt!: string | null;

  /** Whose reminder it is; null: nobody's in particular. */
  owner!: string | null;

  /** The schedule whose occurrence defined it; null otherwise. */
  @ApiUuid()
  scheduleId!: string | null;

  /** The occurrence of that schedule; null otherwise. */
  @ApiDateTime()
  scheduledFor!: string | null;
}

/** GET /api/v1/reminders */
export class ReminderPageDto {
  items!: ReminderDto[];

  /** Pass it back as `cursor` for the next page; null on the last. */
  nextCursor!: string | null;
}

/** The document cannot drift from the answer: a field added to one and not the other fails to compile. */
const _sameShape: AssertSameShape<ReminderDto, ReturnType<typeof toReminderResponse>> = true;
