import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { serverAvailable } from '@herald/testing';
import { timeIndexContract } from '../contract/time-index.contract';
import { MongoTimeIndex } from './mongodb-time-index';

const url = process.env.MONGODB_URL;
// Runs only where MONGODB_URL names a server (compose, CI); unset, the suite shows as skipped.
const run = url !== undefined && url !== '' && serverAvailable('MongoDB', url);

(run ? describe : describe.skip)('MongoDB time index', () => {
  timeIndexContract('mongodb', async () => {
    const dbName = `herald_test_${randomUUID().replace(/-/g, '')}`;
    const clients = [await new MongoClient(url as string).connect()];
    const index = new MongoTimeIndex(clients[0].db(dbName));
    await index.init();
    return {
      index,
      // A second MongoClient to the same database: another scheduler process.
      openSecond: async () => {
        const client = await new MongoClient(url as string).connect();
        clients.push(client);
        return new MongoTimeIndex(client.db(dbName));
      },
      close: async () => {
        await clients[0].db(dbName).dropDatabase();
        for (const client of clients) await client.close();
      },
    };
  });
});
