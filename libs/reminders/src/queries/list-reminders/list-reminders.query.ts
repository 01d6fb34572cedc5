import { Query } from '@nestjs/cqrs';
import { ViewPage } from '@herald/view-store';
import { ReminderStatus } from '../../domain';
import { ReminderOrder, ReminderView } from '../reminder-view';

export interface ReminderListCriteria {
  readonly status?: ReminderStatus;
  /** createdAt: newest first. dueAt: soonest first. */
  readonly order: ReminderOrder;
  readonly limit: number;
  /** Opaque, from a previous page's nextCursor. */
  readonly cursor?: string;
  readonly scheduleId?: string;
  readonly owner?: string;
}

export class ListRemindersQuery extends Query<ViewPage<ReminderView>> {
  constructor(readonly criteria: ReminderListCriteria) {
    super();
  }
}
