import { AnyBulkWriteOperation, Collection, Db, IndexDescription, MongoBulkWriteError, MongoServerError } from 'mongodb';
import { toPage } from '../cursor';
import { planList } from '../view-query';
import { IndexSpec, ViewSchema } from '../view-schema';
import { ViewDefinition, ViewPage, ViewQuery, ViewShape, ViewStore } from '../view-store.port';
import { orderSort, stepFilter } from './mongodb-view-filter';

/**
 * One document per view, keyed by its id: the declared fields at the top
 * level, for filters, sorts and indexes, and the whole view as JSON text.
 * Text, because views carry the caller's data (payloads, task inputs) and
 * BSON field names starting with `$` or containing `.` are restricted in
 * updates: text is the only form that always comes back exactly as saved.
 */
interface ViewDoc {
  _id: string;
  revision: number;
  json: string;
  [field: string]: unknown;
}

const DUPLICATE_KEY = 11000;
const JSON_ONLY = { projection: { json: 1 } } as const;

export class MongoViewStore<V extends ViewShape> implements ViewStore<V> {
  private readonly schema: ViewSchema;
  private readonly views: Collection<ViewDoc>;

  constructor(db: Db, definition: ViewDefinition<V>) {
    this.schema = ViewSchema.of(definition);
    this.views = db.collection<ViewDoc>(this.schema.name);
  }

  /** Creates the indexes behind list(); names as the reminder read store's, so its collection's indexes are reused. */
  async init(): Promise<void> {
    if (this.schema.indexes.length) await this.views.createIndexes(this.schema.indexes.map(indexDescription));
  }

  async save(view: V): Promise<boolean> {
    const { filter, update } = this.upsert(view);
    // The revision guard makes replays and redeliveries harmless. When a view
    // with this id is stored at the same or a later revision the filter misses,
    // the upsert tries to insert the id again and fails with a duplicate key:
    // nothing to write. The same error also comes from losing a race for the
    // first insert of a new id (the server does not retry this filter itself,
    // as it is not an equality on _id alone), so try once more: then the filter
    // matches an older stored revision, or the key error is the final answer.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const result = await this.views.updateOne(filter, update, { upsert: true });
        return result.matchedCount + result.upsertedCount > 0;
      } catch (err) {
        if (!(err instanceof MongoServerError && err.code === DUPLICATE_KEY)) throw err;
      }
    }
    return false;
  }

  /**
   * One unordered bulk write of guarded upserts. The ones that fail on a
   * duplicate key go through save(), which tells a stored later revision
   * (not written) from a lost race for the first insert (written on retry).
   */
  async saveMany(views: readonly V[]): Promise<number> {
    if (views.length === 0) return 0;
    const operations: AnyBulkWriteOperation<ViewDoc>[] = views.map((v) => ({ updateOne: { ...this.upsert(v), upsert: true } }));
    try {
      const result = await this.views.bulkWrite(operations, { ordered: false });
      return result.matchedCount + result.upsertedCount;
    } catch (err) {
      const errors = err instanceof MongoBulkWriteError ? err.result.getWriteErrors() : [];
      const onlyDuplicates = errors.length > 0 && errors.every((e) => e.code === DUPLICATE_KEY);
      if (!(err instanceof MongoBulkWriteError) || !onlyDuplicates || err.result.getWriteConcernError()) throw err;
      let written = err.result.matchedCount + err.result.upsertedCount;
      for (const e of errors) if (await this.save(views[e.index])) written++;
      return written;
    }
  }

  async get(id: string): Promise<V | null> {
    const doc = await this.views.findOne({ _id: id }, JSON_ONLY);
    return doc ? (JSON.parse(doc.json) as V) : null;
  }

  async getMany(ids: readonly string[]): Promise<V[]> {
    if (ids.length === 0) return [];
    const docs = await this.views.find({ _id: { $in: [...ids] } }, JSON_ONLY).toArray();
    return docs.map((d) => JSON.parse(d.json) as V);
  }

  /** Keyset pages read step by step (see KeysetStep), in the same order as the SQLite adapter. */
  async list(query: ViewQuery): Promise<ViewPage<V>> {
    const plan = planList(this.schema, query);
    const views: V[] = [];
    for (const step of plan.steps) {
      const wanted = plan.limit + 1 - views.length;
      if (wanted <= 0) break;
      const docs = await this.views.find(stepFilter(plan, step), JSON_ONLY).sort(orderSort(plan)).limit(wanted).toArray();
      views.push(...docs.map((d) => JSON.parse(d.json) as V));
    }
    return toPage(views, plan.limit, plan.order);
  }

  async clear(): Promise<void> {
    await this.views.deleteMany({});
  }

  private upsert(view: V) {
    const fields = this.schema.indexedValues(view);
    return {
      filter: { _id: view.id, revision: { $lt: view.revision } },
      update: { $set: { ...fields, revision: view.revision, json: JSON.stringify(view) } },
    };
  }
}

/** Named as the reminder read store named its own: status_createdAt_id, dueAt_id… */
function indexDescription(spec: IndexSpec): IndexDescription {
  const dir = spec.direction === 'desc' ? -1 : 1;
  const key: Record<string, 1 | -1> = {};
  spec.fields.forEach((field, i) => (key[field] = i === spec.fields.length - 1 ? dir : 1));
  key._id = dir;
  return { key, name: `${spec.fields.join('_')}_id` };
}
