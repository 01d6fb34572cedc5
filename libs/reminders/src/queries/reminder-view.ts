import { ViewDefinition } from '@herald/view-store';
import { ReminderStatus } from '../domain';

/** The query side's view of a reminder, projected from its events. */
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
  /** Whose reminder it is; null: nobody's in particular. */
  owner: string | null;
  /** The schedule whose occurrence defined it, and that occurrence; null otherwise. */
  scheduleId: string | null;
  scheduledFor: string | null;
  /** Stream revision of the last event applied: makes projection writes idempotent. */
  revision: number;
}

export type ReminderOrder = 'createdAt' | 'dueAt';

/**
 * Where and how reminder views are stored and listed. The name and fields
 * match the table of versions before the generic view store, so existing
 * SQLite files open as they are.
 */
export const REMINDER_VIEW_DEFINITION: ViewDefinition<ReminderView> = {
  name: 'reminder_views',
  fields: {
    status: { type: 'string' },
    dueAt: { type: 'string' },
    createdAt: { type: 'string' },
    scheduleId: { type: 'string' },
    owner: { type: 'string' },
  },
  orders: { createdAt: { field: 'createdAt', direction: 'desc' }, dueAt: { field: 'dueAt', direction: 'asc' } },
  indexes: [
    ['status', 'createdAt'],
    ['status', 'dueAt'],
    ['scheduleId', 'createdAt'],
    ['owner', 'createdAt'],
  ],
};

export const REMINDER_VIEWS = Symbol('REMINDER_VIEWS');
