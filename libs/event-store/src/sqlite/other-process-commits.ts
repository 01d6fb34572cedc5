import { FSWatcher, watch } from 'node:fs';

/**
 * Tells a process of commits that *other* processes sharing its SQLite file
 * made, as they happen, instead of at the next poll: each commit writes the
 * file's write-ahead log, and the kernel reports the write (fs.watch:
 * inotify on Linux). The poll stays as the fallback where the kernel reports
 * nothing (network file systems) or watching fails.
 *
 * A commit writes the WAL page by page, and under load the writes come by the
 * thousand a second: a callback each, in every service, cost the full stack
 * about a tenth of its task throughput on two cores (docs/BENCHMARKS.md). So
 * the watch is one-shot: the first report closes it, and `minIntervalMs`
 * after the previous look it is opened again and the head looked at — in
 * that order, so a commit is either seen by the look or reported to the new
 * watch. After a quiet spell the first commit is signalled at once.
 *
 * A process's own commits write the WAL too. So that those wake nobody (in a
 * single process, subscriptions are woken by the appends themselves), a look
 * signals only when the log's head is past `known`: the highest position up
 * to which every event was appended by this process or already signalled.
 */
export class OtherProcessCommits {
  private running = false;
  private watcher: FSWatcher | null = null;
  /** Cancels the look a report scheduled, while one is pending. */
  private cancelLook: (() => void) | null = null;
  private known = 0;
  private lastLookAt = -Infinity;

  constructor(
    /** The SQLite file (its WAL is `<file>-wal`, there while a connection is open in WAL mode). */
    private readonly file: string,
    private readonly head: () => number,
    private readonly signal: () => void,
    private readonly minIntervalMs = 0,
  ) {}

  /** Whether own commits need reporting (ownCommit): not while nothing is watched. */
  get watching(): boolean {
    return this.running;
  }

  /** Starts watching (once). Returns false where nothing can be watched: an in-memory database, or a failed watch. */
  start(): boolean {
    if (this.running) return true;
    if (this.file === '' || this.file === ':memory:') return false;
    this.known = this.head();
    this.running = this.watch();
    return this.running;
  }

  /**
   * After this process committed events up to `headAfter` in a transaction
   * that found the log at `headBefore`: when nothing unknown lay below them,
   * they are known; otherwise another process committed in between, and the
   * next look signals it.
   */
  ownCommit(headBefore: number, headAfter: number): void {
    if (headBefore <= this.known) this.known = Math.max(this.known, headAfter);
  }

  close(): void {
    this.running = false;
    this.watcher?.close();
    this.watcher = null;
    this.cancelLook?.();
    this.cancelLook = null;
  }

  /** Listens for the next write to the WAL. False when the watch cannot be made (e.g. inotify watches used up): the poll remains. */
  private watch(): boolean {
    try {
      this.watcher = watch(`${this.file}-wal`, { persistent: false }, () => this.reported());
    } catch {
      return false;
    }
    this.watcher.on('error', () => this.close()); // the WAL went away: back to polling alone
    return true;
  }

  /** One report is news enough until the next look: stop listening rather than take a callback per page written. */
  private reported(): void {
    if (!this.watcher) return;
    this.watcher.close();
    this.watcher = null;
    const wait = this.lastLookAt + this.minIntervalMs - performance.now();
    if (wait > 0) {
      const timer = setTimeout(() => this.look(), wait).unref();
      this.cancelLook = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(() => this.look());
      this.cancelLook = () => clearImmediate(immediate);
    }
  }

  /** Watch again, then look at the head: a commit after the watch is reported, one before it is seen here. */
  private look(): void {
    this.cancelLook = null;
    if (!this.running) return;
    this.lastLookAt = performance.now();
    if (!this.watch()) return void (this.running = false);
    const head = this.head();
    if (head <= this.known) return;
    this.known = head;
    this.signal();
  }
}
