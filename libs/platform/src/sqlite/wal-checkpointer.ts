import { Worker } from 'node:worker_threads';

export interface WalCheckpointerOptions {
  /** How often the worker copies the WAL back into the database file. */
  readonly intervalMs: number;
  /**
   * Under a steady stream of commits a passive checkpoint never catches up
   * with the last frame, so the WAL never starts over and keeps growing. Past
   * this size the worker runs a RESTART checkpoint, which holds writers back
   * while it copies the frames since the last pass, and the WAL starts over.
   * The file is not truncated: truncating a few hundred MB stalled the next
   * commit by over 100 ms here, so the WAL file keeps its high-water mark
   * (about this size) until the last connection closes.
   */
  readonly restartBytes: number;
  /** Reports a failed checkpoint; the next interval tries again. */
  readonly onError?: (message: string) => void;
}

// Runs in the worker thread, with its own connection to the same file. Kept as
// source text so that it runs the same from dist/ (tsc) and under jest (swc).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const pageSize = db.pragma('page_size', { simple: true });
const tick = () => {
  try {
    const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)');
    if (log * pageSize > workerData.restartBytes) db.pragma('wal_checkpoint(RESTART)');
  } catch (err) {
    parentPort.postMessage(String(err && err.message || err));
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); tick(); db.close(); parentPort.close(); });
`;

/**
 * Checkpoints a WAL-mode SQLite file from a worker thread. SQLite's automatic
 * checkpoint runs inside whichever commit crosses 1,000 pages, on the thread
 * that commits: measured here it more than doubled the cost of a commit on
 * the event loop (docs/BENCHMARKS.md). The connections that write
 * turn it off (`wal_autocheckpoint = 0`) and this worker copies pages back
 * on the other core, as better-sqlite3's performance notes suggest.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(file: string, options: WalCheckpointerOptions) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, betterSqlite3: require.resolve('better-sqlite3'), intervalMs: options.intervalMs, restartBytes: options.restartBytes },
    });
    this.worker.on('message', (message: string) => options.onError?.(message));
    this.worker.on('error', (err) => options.onError?.(err.message));
    // The worker must not keep a process alive that is otherwise done.
    this.worker.unref();
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
  }

  /**
   * A last checkpoint, then the worker's connection closes. The worker is
   * referenced again meanwhile: unreferenced, a process with nothing else left
   * to do (a shutting-down service, `npm run replay`) would end here, before
   * the checkpoint and before whatever its caller does after awaiting this.
   */
  async stop(): Promise<void> {
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}
