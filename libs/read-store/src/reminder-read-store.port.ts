import { ReminderStatus } from '@herald/reminders/domain';

/**
 * The query side's view of a reminder, projected from its events. Adapters:
 * sqlite/ (embedded), mongodb/ (full stack); all pass
 * contract/reminder-read-store.contract.ts.
 */
export const REMINDER_READ_STORE = Symbol('REMINDER_READ_STORE');

export interface ReminderView {
  id: string;
  status: ReminderStatus;
  dueAt: string;
  /** When the next attempt is due while Active; null once finished. */
  nextAttemptAt: string | null;
  address: string;
  payload: unknown;
  /** Only the names: values may be credentials and are not shown on the read side. */
  headerNames: string[];
  maxAttempts: number;
  timeoutMs: number;
  attempts: number;
  lastError: string | null;
  lastStatusCode: number | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  failedAt: string | null;
  cancelledAt: string | null;
  /** Stream revision of the last event applied: makes projection writes idempotent. */
  revision: number;
}

export type ReminderOrder = 'createdAt' | 'dueAt';

export interface ReminderListQuery {
  status?: ReminderStatus;
  /** createdAt: newest first. dueAt: soonest first. */
  order: ReminderOrder;
  limit: number;
  /** Opaque, from a previous page's nextCursor. */
  cursor?: string;
}

export interface ReminderPage {
  items: ReminderView[];
  nextCursor: string | null;
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor() {
    super('cursor is not one this service issued; pass nextCursor from a previous page unchanged');
  }
}

export interface ReminderReadStore {
  /** Writes `view` unless the stored one is at the same or a later revision; true when written. */
  save(view: ReminderView): Promise<boolean>;
  /** save() for many views at once (one transaction or bulk write where the store has one); returns how many were written. */
  saveMany(views: readonly ReminderView[]): Promise<number>;
  get(id: string): Promise<ReminderView | null>;
  /** The stored views among `ids`, in no particular order. */
  getMany(ids: readonly string[]): Promise<ReminderView[]>;
  list(query: ReminderListQuery): Promise<ReminderPage>;
  /** Drops every view: the first step of a rebuild from the log. */
  clear(): Promise<void>;
}
