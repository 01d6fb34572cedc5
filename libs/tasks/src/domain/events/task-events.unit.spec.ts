import { TASK_EVENT_TYPES, TASK_STREAM_PREFIX, isTaskEvent, taskStream } from './task-events';

describe('task events', () => {
  it('names streams task-<id>', () => {
    expect(TASK_STREAM_PREFIX).toBe('task-');
    expect(taskStream('abc')).toBe('task-abc');
  });

  it('lists each of the 15 event types once', () => {
    expect(TASK_EVENT_TYPES).toHaveLength(15);
    expect(new Set(TASK_EVENT_TYPES).size).toBe(15);
  });

  it('recognises task events and nothing else', () => {
    expect(isTaskEvent({ type: 'TaskLeaseLapsed' })).toBe(true);
    expect(isTaskEvent({ type: 'ReminderDefined' })).toBe(false);
    expect(isTaskEvent({ type: 'task-leased' })).toBe(false);
  });
});
