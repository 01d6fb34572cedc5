import type { Database, Statement } from 'better-sqlite3';
import { LogPosition } from '../../event-store.port';
import { CheckpointStore } from '../checkpoint-store.port';

export class SqliteCheckpointStore implements CheckpointStore {
  private readonly loadStatement: Statement;
  private readonly saveStatement: Statement;
  private readonly pingStatement: Statement;

  constructor(db: Database) {
    db.exec('CREATE TABLE IF NOT EXISTS checkpoints (subscriber TEXT PRIMARY KEY, position TEXT NOT NULL)');
    this.loadStatement = db.prepare('SELECT position FROM checkpoints WHERE subscriber = ?');
    this.pingStatement = db.prepare('SELECT COUNT(*) AS n FROM checkpoints');
    this.saveStatement = db.prepare(
      'INSERT INTO checkpoints (subscriber, position) VALUES (?, ?) ON CONFLICT (subscriber) DO UPDATE SET position = excluded.position',
    );
  }

  async load(subscriber: string): Promise<LogPosition | null> {
    const row = this.loadStatement.get(subscriber) as { position: string } | undefined;
    return row?.position ?? null;
  }

  async save(subscriber: string, position: LogPosition): Promise<void> {
    this.saveStatement.run(subscriber, position);
  }

  async ping(): Promise<void> {
    this.pingStatement.get();
  }
}
