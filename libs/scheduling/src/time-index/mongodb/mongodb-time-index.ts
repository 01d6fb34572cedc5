import { randomUUID } from 'node:crypto';
import { Collection, Db, Filter, MongoServerError } from 'mongodb';
import { DueEntry, DueEntryRef } from '../../due-entry';
import { ClaimOptions, TimeIndex, TimeIndexChanges } from '../time-index.port';

interface EntryDoc {
  /** `<topic>/<key>`: one entry per (topic, key); topics never hold a `/`. */
  _id: string;
  topic: string;
  key: string;
  sequence: number;
  /** Epoch ms. */
  dueAt: number;
  handedOff: boolean;
  /** Epoch ms until which a claim lives; 0 when unclaimed. */
  claimExpires: number;
  /** Epoch ms of the last hand-off: staleness counts from it. */
  handedOffAt?: number;
  /** Set by the claimDue call that last claimed the entry; see claimDue. */
  claimToken?: string;
}

const DUPLICATE_KEY = 11000;

export class MongoTimeIndex implements TimeIndex {
  private readonly entries: Collection<EntryDoc>;

  constructor(
    private readonly db: Db,
    collectionName = 'due_entries',
  ) {
    this.entries = db.collection<EntryDoc>(collectionName);
  }

  /** The claim query: handedOff equality, then a dueAt range that is also its sort. */
  async init(): Promise<void> {
    await this.entries.createIndexes([{ key: { handedOff: 1, dueAt: 1 }, name: 'handedOff_dueAt' }]);
    await this.migrateReminderTimeIndex();
  }

  /**
   * Before version 0.2 the index held reminder callbacks only, in `time_index`
   * ({ _id: reminderId, attempt, … }). Its entries move over with their
   * hand-off marks, so an upgrade neither loses nor repeats a callback.
   */
  private async migrateReminderTimeIndex(): Promise<void> {
    const old = this.db.collection<{ _id: string; attempt: number; dueAt: number; handedOff: boolean; claimExpires: number }>('time_index');
    const docs = await old.find({}).toArray();
    if (docs.length > 0) {
      await this.entries.bulkWrite(
        docs.map((d) => {
          const doc = { topic: 'callbacks', key: d._id, sequence: d.attempt, dueAt: d.dueAt, handedOff: d.handedOff, claimExpires: d.claimExpires };
          return { updateOne: { filter: { _id: docId(doc) }, update: { $setOnInsert: doc }, upsert: true } };
        }),
        { ordered: false },
      );
    }
    if (docs.length > 0 || (await this.db.listCollections({ name: 'time_index' }).hasNext())) await old.drop().catch(() => undefined);
  }

  /**
   * One atomic upsert with an aggregation-pipeline update, the SQLite
   * statement's semantics:
   * - the filter matches a stored entry of the same or an older sequence;
   * - stage 1 keeps handedOff/claimExpires if the stored sequence is this one
   *   and resets them otherwise (stages run in order, so it still sees the old
   *   sequence; on insert `$sequence` is missing, which is not equal, so reset);
   * - stage 2 writes the sequence and dueAt.
   * A stored newer sequence makes the filter miss, the upsert's insert then
   * fails on the _id index (duplicate key): the put is ignored. That error can
   * also mean a lost race for the first insert, hence one retry, as in the
   * read store's save().
   */
  async put(entry: DueEntry): Promise<void> {
    const sameAttempt = { $eq: ['$sequence', entry.sequence] };
    const pipeline = [
      {
        $set: {
          handedOff: { $cond: [sameAttempt, '$handedOff', false] },
          claimExpires: { $cond: [sameAttempt, '$claimExpires', 0] },
        },
      },
      { $set: { topic: entry.topic, key: entry.key, sequence: entry.sequence, dueAt: entry.dueAt } },
    ];
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.entries.updateOne({ _id: docId(entry), sequence: { $lte: entry.sequence } }, pipeline, { upsert: true });
        return;
      } catch (err) {
        if (!(err instanceof MongoServerError && err.code === DUPLICATE_KEY)) throw err;
      }
    }
  }

  async remove(ref: DueEntryRef): Promise<void> {
    await this.entries.deleteOne({ _id: docId(ref) });
  }

  /** Puts one by one (each is a conditional pipeline upsert), then one deleteMany. */
  async apply(changes: TimeIndexChanges): Promise<void> {
    for (const entry of changes.put) await this.put(entry);
    if (changes.remove.length > 0) await this.entries.deleteMany({ _id: { $in: changes.remove.map(docId) } });
  }

  /**
   * Claim with a token, in few round trips whatever the limit (the scheduler
   * asks for 1,000 at a time, so one findOneAndUpdate per entry would cost a
   * thousand):
   * 1. find the ids of the soonest claimable entries, up to what is still wanted;
   * 2. updateMany over those ids, with the claimable condition repeated in its
   *    filter, setting claimExpires and this call's unique token. Each document's
   *    update is atomic and applies only if the document still matches the filter
   *    at that moment, so an entry another claimer took in between is skipped:
   *    no entry gets two live claims;
   * 3. repeat while some were lost to another claimer and more may be claimable
   *    (a short first find means everything claimable then was tried);
   * 4. read back the entries carrying this token and claim expiry. An entry whose
   *    claim lapsed and was re-claimed (new token), or that a newer sequence reset
   *    (claimExpires 0) since, is not returned.
   * Entries this call already holds are excluded from the finds by the token,
   * so a zero TTL cannot make it spin on its own claims.
   */
  async claimDue(o: ClaimOptions): Promise<DueEntry[]> {
    const token = randomUUID();
    const expires = o.now + o.claimTtlMs;
    const fresh: Filter<EntryDoc> = { handedOff: false, claimExpires: { $lte: o.now } };
    const claimable: Filter<EntryDoc> = {
      dueAt: { $lte: o.until },
      claimToken: { $ne: token },
      $or:
        o.staleAfterMs === undefined
          ? [fresh]
          : [
              fresh,
              // A document without handedOffAt (handed off before it was kept) counts from its due time.
              { handedOff: true, $expr: { $lt: [{ $ifNull: ['$handedOffAt', '$dueAt'] }, o.now - o.staleAfterMs] } },
            ],
    };
    const tried: string[] = [];
    let claimed = 0;
    while (claimed < o.limit) {
      const want = o.limit - claimed;
      const found = await this.entries.find(claimable, { projection: { _id: 1 }, sort: { dueAt: 1 }, limit: want }).toArray();
      const ids = found.map((d) => d._id);
      if (ids.length === 0) break;
      const result = await this.entries.updateMany(
        { ...claimable, _id: { $in: ids } },
        { $set: { claimExpires: expires, handedOff: false, claimToken: token } },
      );
      tried.push(...ids);
      claimed += result.modifiedCount;
      if (ids.length < want) break;
    }
    if (tried.length === 0) return [];
    const docs = await this.entries
      .find({ _id: { $in: tried }, claimToken: token, claimExpires: expires, handedOff: false }, { sort: { dueAt: 1 } })
      .toArray();
    return docs.map((d) => ({ topic: d.topic, key: d.key, sequence: d.sequence, dueAt: d.dueAt }));
  }

  async markHandedOff(entries: readonly DueEntry[], now: number): Promise<void> {
    if (entries.length === 0) return; // the driver rejects an empty bulk write
    await this.entries.bulkWrite(
      entries.map((e) => ({
        updateOne: { filter: { _id: docId(e), sequence: e.sequence }, update: { $set: { handedOff: true, claimExpires: 0, handedOffAt: now } } },
      })),
      { ordered: false },
    );
  }

  async resetHandOffs(): Promise<void> {
    await this.entries.updateMany({ $or: [{ handedOff: true }, { claimExpires: { $gt: 0 } }] }, { $set: { handedOff: false, claimExpires: 0 } });
  }

  async clear(topics: readonly string[]): Promise<void> {
    await this.entries.deleteMany({ topic: { $in: [...topics] } });
  }

  async size(): Promise<number> {
    return this.entries.countDocuments({});
  }
}

const docId = (ref: DueEntryRef) => `${ref.topic}/${ref.key}`;
