import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@herald/testing';
import { OtherProcessCommits } from './other-process-commits';

/** Over a real directory watch: writes to `<file>-wal` stand in for commits. */
describe('OtherProcessCommits', () => {
  let dir: string;
  let file: string;
  let head: number;
  let looks: number;
  let signals: number;
  let commits: OtherProcessCommits;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-commits-'));
    file = join(dir, 'herald.sqlite');
    writeFileSync(`${file}-wal`, ''); // there while SQLite has the file open in WAL mode
    head = 10;
    looks = 0;
    signals = 0;
    commits = new OtherProcessCommits(
      file,
      () => (looks++, head),
      () => signals++,
    );
  });
  afterEach(() => {
    commits.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A commit as the kernel reports it, then the watcher's look at the head that follows. */
  const walWritten = async () => {
    const before = looks;
    appendFileSync(`${file}-wal`, 'frame');
    await eventually(
      () => looks,
      (n) => n > before,
      { timeoutMs: 5_000, what: 'the head looked at after a WAL write' },
    );
  };

  it("signals another process's commit: the head moved past what this process knows", async () => {
    expect(commits.start()).toBe(true);
    head = 12;
    await walWritten();
    expect(signals).toBe(1);
    // Once signalled, the same head is known: a further write without new events signals nothing.
    await walWritten();
    expect(signals).toBe(1);
  });

  it("does not signal this process's own commits", async () => {
    commits.start();
    commits.ownCommit(10, 13);
    head = 13;
    await walWritten();
    expect(signals).toBe(0);
  });

  it('signals when another process committed just before an own commit (a gap below it)', async () => {
    commits.start();
    // The other process took 11; this one's transaction found 11 and wrote 12–13.
    commits.ownCommit(11, 13);
    head = 13;
    await walWritten();
    expect(signals).toBe(1);
  });

  it('keeps reporting after the first report (the watch is one-shot and made again)', async () => {
    commits.start();
    for (let head_ = 11; head_ <= 13; head_++) {
      head = head_;
      await walWritten();
    }
    expect(signals).toBe(3);
  });

  it('watches nothing for an in-memory database or a file without a WAL', () => {
    expect(
      new OtherProcessCommits(
        join(dir, 'other.sqlite'),
        () => 0,
        () => undefined,
      ).start(),
    ).toBe(false);
    expect(
      new OtherProcessCommits(
        ':memory:',
        () => 0,
        () => undefined,
      ).start(),
    ).toBe(false);
  });
});
