import { Worker } from 'bullmq';
import { Agent, request } from 'undici';

/** BullMQ's side of the comparison: a worker that POSTs each delayed job as Herald would. */
const [queueName, redisUrl] = process.argv.slice(2);
const agent = new Agent({ connections: 128, keepAliveTimeout: 10_000 });
/** What lateness.ts puts on the BullMQ queue for each reminder. */
interface ReminderJob {
  address: string;
  reminderId: string;
  dueAt: string;
}

const worker = new Worker<ReminderJob>(
  queueName,
  async (job) => {
    const res = await request(job.data.address, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', 'idempotency-key': job.data.reminderId },
      body: JSON.stringify({ reminderId: job.data.reminderId, dueAt: job.data.dueAt, payload: null, attempt: 1 }),
    });
    await res.body.dump();
  },
  { connection: { url: redisUrl }, concurrency: 256 },
);
process.on('SIGTERM', () => void worker.close().then(() => process.exit(0)));
