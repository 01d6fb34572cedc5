import type { components, operations, paths } from './generated/openapi';

/**
 * Friendly names for the generated OpenAPI types (generated/openapi.ts, `npm run
 * client:generate`). Every body, query and answer type of the SDK is one of these:
 * none is written by hand, so the SDK cannot drift from what the API documents.
 */
export type { components, operations, paths };

type Schemas = components['schemas'];
/** The query parameters of an operation, by its operationId. */
type QueryOf<K extends keyof operations> = NonNullable<operations[K]['parameters']['query']>;

/** One page of a list: pass `nextCursor` back as `cursor` for the next page (null on the last). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Any JSON value (payloads, params, results, event data). */
export type JsonValue = Schemas['JsonValue'];
/** The body of every refusal: `{ statusCode, error, code, message }`. */
export type ErrorBody = Schemas['ErrorResponseDto'];
/** One event of a resource's stream, as `/:id/events` shows it. */
export type HistoryEvent = Schemas['HistoryEventDto'];

export type Reminder = Schemas['ReminderDto'];
export type ReminderStatus = Reminder['status'];
export type DefineReminder = Schemas['DefineReminderDto'];
/** The answer to defining a reminder. */
export type DefinedReminder = Schemas['ReminderDefinedDto'];
export type RescheduleReminder = Schemas['RescheduleReminderDto'];
export type RetriggerReminder = Schemas['RetriggerReminderDto'];
export type ReminderQuery = QueryOf<'reminders.list'>;

export type Task = Schemas['TaskDto'];
export type TaskStatus = Task['status'];
export type EnqueueTask = Schemas['EnqueueTaskDto'];
/** The optional body of pause, resume and cancel: `{ reason? }`. */
export type TaskAction = Schemas['TaskActionDto'];
export type RetriggerTask = Schemas['RetriggerTaskDto'];
export type TaskQuery = QueryOf<'tasks.list'>;

export type Schedule = Schemas['ScheduleDto'];
export type ScheduleStatus = Schedule['status'];
export type CreateSchedule = Schemas['CreateScheduleDto'];
export type UpdateSchedule = Schemas['UpdateScheduleDto'];
export type PauseSchedule = Schemas['PauseScheduleDto'];
/** A cron spec to preview without creating a schedule. */
export type PreviewSchedule = Schemas['PreviewDto'];
export type ScheduleQuery = QueryOf<'schedules.list'>;
export type SchedulePreviewQuery = QueryOf<'schedules.preview'>;
export type ScheduleRun = Schemas['ScheduleRunDto'];
export type ScheduleRunsQuery = QueryOf<'schedules.runs'>;
export type Occurrences = Schemas['OccurrencesDto'];

export type Notification = Schemas['NotificationDto'];
export type PublishNotification = Schemas['PublishNotificationDto'];
export type NotificationQuery = QueryOf<'notifications.list'>;

/** The feed's query parameters as the document describes them (the SDK's `stream()` takes arrays too). */
export type FeedQuery = QueryOf<'feed.stream'>;

/** Options of the creating calls. */
export interface CreateOptions {
  /** Sent as `Idempotency-Key`: the same key and body answer as the first time did and create nothing. */
  idempotencyKey?: string;
}
