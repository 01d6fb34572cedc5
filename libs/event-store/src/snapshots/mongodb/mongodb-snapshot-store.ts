import { Collection, Db, MongoServerError } from 'mongodb';
import { Snapshot, SnapshotStore } from '../snapshot-store.port';

interface SnapshotDoc {
  /** The stream's name. */
  _id: string;
  revision: number;
  version: number;
  /** JSON text: keeps keys MongoDB would refuse (`$`, `.`) and exact numbers. */
  state: string;
}

const DUPLICATE_KEY = 11000;

/** One document per stream, replaced only by a later revision. */
export class MongoSnapshotStore implements SnapshotStore {
  private readonly snapshots: Collection<SnapshotDoc>;

  constructor(db: Db, collectionName = 'snapshots') {
    this.snapshots = db.collection<SnapshotDoc>(collectionName);
  }

  async load(stream: string): Promise<Snapshot | null> {
    const doc = await this.snapshots.findOne({ _id: stream });
    return doc ? { stream: doc._id, revision: doc.revision, version: doc.version, state: JSON.parse(doc.state) as unknown } : null;
  }

  async save(snapshot: Snapshot): Promise<void> {
    const doc = { revision: snapshot.revision, version: snapshot.version, state: JSON.stringify(snapshot.state) };
    try {
      // Matches only an older snapshot (or none): upserting then inserts; a newer one stays and the
      // insert collides on _id, which means there was nothing to do.
      await this.snapshots.replaceOne({ _id: snapshot.stream, revision: { $lt: snapshot.revision } }, doc, { upsert: true });
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return;
      throw error;
    }
  }
}
