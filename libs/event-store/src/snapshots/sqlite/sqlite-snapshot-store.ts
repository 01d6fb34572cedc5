import type { Database, Statement } from 'better-sqlite3';
import { Snapshot, SnapshotStore } from '../snapshot-store.port';

/** One row per stream, replaced only by a later revision. */
export class SqliteSnapshotStore implements SnapshotStore {
  private readonly loadStatement: Statement;
  private readonly saveStatement: Statement;

  constructor(db: Database) {
    db.exec(
      'CREATE TABLE IF NOT EXISTS snapshots (stream TEXT PRIMARY KEY, revision INTEGER NOT NULL, version INTEGER NOT NULL, state TEXT NOT NULL)',
    );
    this.loadStatement = db.prepare('SELECT stream, revision, version, state FROM snapshots WHERE stream = ?');
    this.saveStatement = db.prepare(
      'INSERT INTO snapshots (stream, revision, version, state) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (stream) DO UPDATE SET revision = excluded.revision, version = excluded.version, state = excluded.state WHERE excluded.revision > snapshots.revision',
    );
  }

  async load(stream: string): Promise<Snapshot | null> {
    const row = this.loadStatement.get(stream) as { stream: string; revision: number; version: number; state: string } | undefined;
    return row ? { stream: row.stream, revision: row.revision, version: row.version, state: JSON.parse(row.state) as unknown } : null;
  }

  async save(snapshot: Snapshot): Promise<void> {
    this.saveStatement.run(snapshot.stream, snapshot.revision, snapshot.version, JSON.stringify(snapshot.state));
  }
}
