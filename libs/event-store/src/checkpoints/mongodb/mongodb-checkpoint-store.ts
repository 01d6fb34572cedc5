import { Collection, Db } from 'mongodb';
import { LogPosition } from '../../event-store.port';
import { CheckpointStore } from '../checkpoint-store.port';

interface CheckpointDoc {
  /** The subscriber's name. */
  _id: string;
  position: LogPosition;
}

/** One document per subscriber; the _id index is all it needs. */
export class MongoCheckpointStore implements CheckpointStore {
  private readonly checkpoints: Collection<CheckpointDoc>;

  constructor(
    private readonly db: Db,
    collectionName = 'checkpoints',
  ) {
    this.checkpoints = db.collection<CheckpointDoc>(collectionName);
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async load(subscriber: string): Promise<LogPosition | null> {
    const doc = await this.checkpoints.findOne({ _id: subscriber });
    return doc?.position ?? null;
  }

  async save(subscriber: string, position: LogPosition): Promise<void> {
    // The filter is an equality on _id only, so the server itself retries the
    // duplicate-key error of two first saves racing (MongoDB 4.2+).
    await this.checkpoints.replaceOne({ _id: subscriber }, { position }, { upsert: true });
  }
}
