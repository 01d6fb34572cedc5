import { reminderCompleted, reminderDefined } from '../../domain';
import { RecordedEvent } from '@herald/event-store';
import { openSqlite } from '@herald/platform/sqlite/open-sqlite';
import { SqliteViewStore } from '@herald/view-store';
import { REMINDER_VIEW_DEFINITION } from '../reminder-view';
import { applyToReminderViews } from './reminder-views.projection';

const id = '6a1f5a52-3c1e-4b59-9d0e-2f1f7d1d2a11';
const at = '2026-11-23T09:00:00.000Z';
const recorded = (revision: number, event: { type: string; version: number; data: unknown }): RecordedEvent => ({
  ...event,
  id: `00000000-0000-4000-8000-00000000000${revision}`,
  stream: `reminder-${id}`,
  revision,
  position: String(revision + 1),
  metadata: {},
  recordedAt: new Date(at),
});
const defined = recorded(
  0,
  reminderDefined({
    reminderId: id,
    dueAt: at,
    address: 'http://x.test/',
    payload: null,
    headers: {},
    maxAttempts: 1,
    timeoutMs: 1000,
    definedAt: at,
  }),
);
const completed = recorded(1, reminderCompleted({ reminderId: id, attempt: 1, statusCode: 200, completedAt: at }));

describe('applyToReminderViews on SQLite', () => {
  const db = openSqlite(':memory:');
  const views = new SqliteViewStore(db, REMINDER_VIEW_DEFINITION);
  afterAll(() => db.close());

  it('folds a batch and writes the result', async () => {
    await applyToReminderViews(views, [defined, completed]);
    expect(await views.get(id)).toMatchObject({ status: 'Completed', revision: 1 });
  });

  it('leaves a later view alone when events are delivered again, definition first or not', async () => {
    await applyToReminderViews(views, [defined]);
    await applyToReminderViews(views, [completed]);
    await applyToReminderViews(views, [defined, completed]);
    expect(await views.get(id)).toMatchObject({ status: 'Completed', revision: 1 });
  });
});
