import { randomUUID } from 'node:crypto';
import { Db, MongoClient } from 'mongodb';
import { serverAvailable } from '@herald/testing';
import { viewStoreContract } from '../contract/view-store.contract';
import { taskViews } from '../contract/task-view.fixture';
import { MongoViewStore } from './mongodb-view-store';

interface ReminderShape {
  id: string;
  revision: number;
  status: string;
  dueAt: string;
  createdAt: string;
}

const url = process.env.MONGODB_URL;
// Runs only where MONGODB_URL names a server (compose, CI); unset, the suite shows as skipped.
const run = url !== undefined && url !== '' && serverAvailable('MongoDB', url);

/** A database of its own for each store, dropped on close. */
async function freshDb(): Promise<{ db: Db; close(): Promise<void> }> {
  const client = await new MongoClient(url as string).connect();
  const db = client.db(`herald_test_${randomUUID().replace(/-/g, '')}`);
  return {
    db,
    close: async () => {
      await db.dropDatabase();
      await client.close();
    },
  };
}

(run ? describe : describe.skip)('MongoDB view store', () => {
  viewStoreContract('mongodb', async (definition) => {
    const { db, close } = await freshDb();
    const store = new MongoViewStore(db, definition);
    await store.init();
    return { store, close };
  });

  describe('indexes', () => {
    let db: Db;
    let close: () => Promise<void>;
    beforeEach(async () => ({ db, close } = await freshDb()));
    afterEach(() => close());

    it('creates one per order field and per compound index, idempotently', async () => {
      const store = new MongoViewStore(db, taskViews);
      await store.init();
      await store.init();
      const indexes = (await db.collection('task_views').listIndexes().toArray()).map((i) => [i.name, i.key]);
      expect(indexes).toEqual(
        expect.arrayContaining([
          ['createdAt_id', { createdAt: -1, _id: -1 }],
          ['dueAt_id', { dueAt: 1, _id: 1 }],
          ['status_createdAt_id', { status: 1, createdAt: -1, _id: -1 }],
          ['owner_updatedAt_id', { owner: 1, updatedAt: -1, _id: -1 }],
        ]),
      );
      expect(indexes).toHaveLength(1 + 7); // _id_, and dueAtLatest shares dueAt_id
    });

    it('reuses the indexes the reminder read store created on its collection', async () => {
      // Copied from MongoReminderReadStore.init(): what a deployed database already has.
      await db.collection('reminder_views').createIndexes([
        { key: { createdAt: -1, _id: -1 }, name: 'createdAt_id' },
        { key: { dueAt: 1, _id: 1 }, name: 'dueAt_id' },
        { key: { status: 1, createdAt: -1, _id: -1 }, name: 'status_createdAt_id' },
        { key: { status: 1, dueAt: 1, _id: 1 }, name: 'status_dueAt_id' },
      ]);
      const store = new MongoViewStore<ReminderShape>(db, {
        name: 'reminder_views',
        fields: { status: { type: 'string' }, dueAt: { type: 'string' }, createdAt: { type: 'string' } },
        orders: { createdAt: { field: 'createdAt', direction: 'desc' }, dueAt: { field: 'dueAt', direction: 'asc' } },
        indexes: [
          ['status', 'createdAt'],
          ['status', 'dueAt'],
        ],
      });
      await store.init();
      expect(await db.collection('reminder_views').listIndexes().toArray()).toHaveLength(1 + 4);
    });
  });
});
