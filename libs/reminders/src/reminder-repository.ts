import { Inject, Injectable } from '@nestjs/common';
import { fold } from '@herald/kernel';
import { ReminderEvent, ReminderState, isReminderEvent, reminderDecider, reminderStream } from './domain';
import { AppendResult, EVENT_STORE, EventStore } from '@herald/event-store';

export interface LoadedReminder {
  state: ReminderState;
  /** The revision to expect on the next append: 'no_stream' when the reminder does not exist. */
  expected: number | 'no_stream';
}

/** Rebuilds a reminder from its stream and appends a decision's events atomically. */
@Injectable()
export class ReminderRepository {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async load(reminderId: string): Promise<LoadedReminder> {
    const recorded = await this.events.readStream(reminderStream(reminderId));
    const state = fold(reminderDecider, recorded.filter(isReminderEvent) as ReminderEvent[]);
    return { state, expected: recorded.length === 0 ? 'no_stream' : recorded[recorded.length - 1].revision };
  }

  /** All of a command's events in one append, at the revision the decision was made on. */
  append(reminderId: string, events: ReminderEvent[], expected: LoadedReminder['expected']): Promise<AppendResult> {
    return this.events.append(reminderStream(reminderId), events, expected);
  }
}
