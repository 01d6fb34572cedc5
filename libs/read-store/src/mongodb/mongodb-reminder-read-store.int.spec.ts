import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { serverAvailable } from '@herald/testing';
import { reminderReadStoreContract } from '../contract/reminder-read-store.contract';
import { MongoReminderReadStore } from './mongodb-reminder-read-store';

const url = process.env.MONGODB_URL;
// Runs only where MONGODB_URL names a server (compose, CI); unset, the suite shows as skipped.
const run = url !== undefined && url !== '' && serverAvailable('MongoDB', url);

(run ? describe : describe.skip)('MongoDB reminder read store', () => {
  reminderReadStoreContract('mongodb', async () => {
    const client = await new MongoClient(url as string).connect();
    const db = client.db(`herald_test_${randomUUID().replace(/-/g, '')}`);
    const store = new MongoReminderReadStore(db);
    await store.init();
    return {
      store,
      close: async () => {
        await db.dropDatabase();
        await client.close();
      },
    };
  });
});
