import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { serverAvailable } from '@herald/testing';
import { snapshotStoreContract } from '../snapshot-store.contract';
import { MongoSnapshotStore } from './mongodb-snapshot-store';

const url = process.env.MONGODB_URL;
// Runs only where MONGODB_URL names a server (compose, CI); unset, the suite shows as skipped.
const run = url !== undefined && url !== '' && serverAvailable('MongoDB', url);

(run ? describe : describe.skip)('MongoDB snapshot store', () => {
  snapshotStoreContract('mongodb', async () => {
    const client = await new MongoClient(url as string).connect();
    const db = client.db(`herald_test_${randomUUID().replace(/-/g, '')}`);
    return {
      store: new MongoSnapshotStore(db),
      close: async () => {
        await db.dropDatabase();
        await client.close();
      },
    };
  });
});
