import { Collection, Db, Filter, MongoServerError, Sort, WithId } from 'mongodb';
import { decodeCursor, toPage } from '../cursor';
import { ReminderListQuery, ReminderPage, ReminderReadStore, ReminderView } from '../reminder-read-store.port';

/**
 * One document per reminder, keyed by its id. The payload is kept as JSON
 * text: it is the caller's opaque data, never queried here, and BSON field
 * names starting with `$` or containing `.` are restricted in updates, so
 * text is the only form that always comes back exactly as it was saved.
 */
interface ReminderDoc extends Omit<ReminderView, 'id' | 'payload'> {
  _id: string;
  /** JSON of the payload; null when the payload was undefined. */
  payloadJson: string | null;
}

const DUPLICATE_KEY = 11000;

export class MongoReminderReadStore implements ReminderReadStore {
  private readonly views: Collection<ReminderDoc>;

  constructor(db: Db, collectionName = 'reminder_views') {
    this.views = db.collection<ReminderDoc>(collectionName);
  }

  /** Creates the indexes behind list(): each order, with and without a status filter. */
  async init(): Promise<void> {
    await this.views.createIndexes([
      { key: { createdAt: -1, _id: -1 }, name: 'createdAt_id' },
      { key: { dueAt: 1, _id: 1 }, name: 'dueAt_id' },
      { key: { status: 1, createdAt: -1, _id: -1 }, name: 'status_createdAt_id' },
      { key: { status: 1, dueAt: 1, _id: 1 }, name: 'status_dueAt_id' },
    ]);
  }

  async save(view: ReminderView): Promise<boolean> {
    const { id, payload, ...rest } = view;
    const fields = { ...rest, payloadJson: payload === undefined ? null : JSON.stringify(payload) };
    // The revision guard makes replays and redeliveries harmless. When a view
    // with this id is stored at the same or a later revision the filter misses,
    // the upsert tries to insert the id again and fails with a duplicate key:
    // nothing to write. The same error also comes from losing a race for the
    // first insert of a new id (the server does not retry this filter itself,
    // as it is not an equality on _id alone), so try once more: then the filter
    // matches an older stored revision, or the key error is the final answer.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const result = await this.views.updateOne({ _id: id, revision: { $lt: view.revision } }, { $set: fields }, { upsert: true });
        return result.matchedCount + result.upsertedCount > 0;
      } catch (err) {
        if (!(err instanceof MongoServerError && err.code === DUPLICATE_KEY)) throw err;
      }
    }
    return false;
  }

  /** One guarded upsert per view, in order: each needs its own duplicate-key handling (see save). */
  async saveMany(views: readonly ReminderView[]): Promise<number> {
    let written = 0;
    for (const view of views) if (await this.save(view)) written++;
    return written;
  }

  async getMany(ids: readonly string[]): Promise<ReminderView[]> {
    if (ids.length === 0) return [];
    return (await this.views.find({ _id: { $in: [...ids] } }).toArray()).map(toView);
  }

  async get(id: string): Promise<ReminderView | null> {
    const doc = await this.views.findOne({ _id: id });
    return doc ? toView(doc) : null;
  }

  /**
   * Keyset pagination in the SQLite adapter's order: createdAt newest first,
   * dueAt soonest first, ties broken by id in the same direction. The keys are
   * ISO-8601 UTC strings, which sort as the instants they name.
   */
  async list(query: ReminderListQuery): Promise<ReminderPage> {
    const newestFirst = query.order === 'createdAt';
    const filter: Filter<ReminderDoc> = {};
    if (query.status) filter.status = query.status;
    if (query.cursor) {
      const { key, id } = decodeCursor(query.cursor, query.order);
      filter.$or = newestFirst
        ? [{ createdAt: { $lt: key } }, { createdAt: key, _id: { $lt: id } }]
        : [{ dueAt: { $gt: key } }, { dueAt: key, _id: { $gt: id } }];
    }
    const sort: Sort = newestFirst ? { createdAt: -1, _id: -1 } : { dueAt: 1, _id: 1 };
    const docs = await this.views.find(filter).sort(sort).limit(query.limit + 1).toArray();
    return toPage(docs.map(toView), query);
  }

  async clear(): Promise<void> {
    await this.views.deleteMany({});
  }
}

function toView(doc: WithId<ReminderDoc>): ReminderView {
  const { _id, payloadJson, ...rest } = doc;
  return { ...rest, id: _id, payload: payloadJson === null ? undefined : JSON.parse(payloadJson) };
}
