import { FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Tells a process of commits that *other* processes sharing its SQLite file
 * made, as they happen, instead of at the next poll: each commit writes the
 * file's write-ahead log, and the kernel reports the write (fs.watch:
 * inotify on Linux). The directory is watched, not the WAL file, because
 * SQLite may delete and recreate the WAL while the process runs.
 *
 * A process's own commits write the WAL too. So that those wake nobody (in a
 * single process, subscriptions are woken by the appends themselves), a
 * report counts only when the log's head is past `known`: the highest
 * position up to which every event was appended by this process or has
 * already been signalled. The poll stays as the fallback where the kernel
 * reports nothing (network file systems) or watching fails.
 */
export class OtherProcessCommits {
  private watcher: FSWatcher | null = null;
  private known = 0;
  private checkQueued = false;

  constructor(
    /** The SQLite file (its WAL is `<file>-wal`). */
    private readonly file: string,
    private readonly head: () => number,
    private readonly signal: () => void,
  ) {}

  /** Starts watching (once). Returns false where nothing can be watched: an in-memory database, or a failed watch. */
  start(): boolean {
    if (this.watcher) return true;
    if (this.file === '' || this.file === ':memory:') return false;
    const wal = `${basename(this.file)}-wal`;
    this.known = this.head();
    try {
      this.watcher = watch(dirname(this.file), { persistent: false }, (_event, name) => {
        if (name === wal) this.queueCheck();
      });
    } catch {
      return false; // e.g. the system's inotify watches are used up: the poll still finds every commit
    }
    this.watcher.on('error', () => this.close()); // the directory went away: back to polling alone
    return true;
  }

  /**
   * After this process committed events up to `headAfter` in a transaction
   * that found the log at `headBefore`: when nothing unknown lay below them,
   * they are known; otherwise another process committed in between, and the
   * next report signals it.
   */
  ownCommit(headBefore: number, headAfter: number): void {
    if (headBefore <= this.known) this.known = Math.max(this.known, headAfter);
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  /** Many writes make one commit (a page each): one look at the head per turn of the event loop. */
  private queueCheck(): void {
    if (this.checkQueued) return;
    this.checkQueued = true;
    setImmediate(() => {
      this.checkQueued = false;
      if (!this.watcher) return;
      const head = this.head();
      if (head <= this.known) return;
      this.known = head;
      this.signal();
    });
  }
}
