/**
 * What each occurrence creates, validated by the HTTP layer with the same
 * rules as defining a reminder or enqueuing a task (kernel checks); the
 * schedule keeps it as data and hands it over with each occurrence.
 */
export interface ReminderTarget {
  readonly address: string;
  readonly payload?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly maxAttempts?: number;
  readonly timeoutMs?: number;
}

export interface TaskTarget {
  readonly type: string;
  readonly params?: unknown;
  readonly owner?: string;
  readonly tags?: readonly string[];
  readonly priority?: number;
  readonly maxAttempts?: number;
}

export type ScheduleTarget = { readonly reminder: ReminderTarget } | { readonly task: TaskTarget };

export const isTaskTarget = (target: ScheduleTarget): target is { task: TaskTarget } => 'task' in target;
