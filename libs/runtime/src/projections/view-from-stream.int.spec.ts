import { systemClock } from '@herald/kernel';
import { SqliteEventStore } from '@herald/event-store';
import { openSqlite } from '@herald/platform';
import { SqliteViewStore, ViewDefinition } from '@herald/view-store';
import { ViewFold, viewById, viewFromStream } from './view-from-stream';
import { applyToViews } from './view-projection';

/** A counter: opened, then bumped; its view counts the bumps. */
interface CounterView {
  id: string;
  revision: number;
  bumps: number;
}
type CounterEvent = { type: 'CounterOpened'; data: { counterId: string } } | { type: 'CounterBumped'; data: { counterId: string } };

const definition: ViewDefinition<CounterView> = {
  name: 'counters',
  fields: { bumps: { type: 'number' } },
  orders: { bumps: { field: 'bumps', direction: 'asc' } },
};
const fold: ViewFold<CounterView, CounterEvent> = {
  isEvent: (e): e is CounterEvent => e.type === 'CounterOpened' || e.type === 'CounterBumped',
  project: (view, e, revision) =>
    e.type === 'CounterOpened' ? { id: e.data.counterId, revision, bumps: 0 } : view && { ...view, revision, bumps: view.bumps + 1 },
};
const opened = (counterId: string) => ({ type: 'CounterOpened', version: 1, data: { counterId } });
const bumped = (counterId: string) => ({ type: 'CounterBumped', version: 1, data: { counterId } });
const stream = (id: string) => `counter-${id}`;

/** Reads by id over a real SQLite log and view store, with the projection run by hand (or not at all). */
describe('viewById and viewFromStream over SQLite', () => {
  let events: SqliteEventStore;
  let views: SqliteViewStore<CounterView>;
  const project = async () =>
    applyToViews(
      {
        ...fold,
        name: 'counters',
        categories: ['counter-'],
        store: views,
        idOf: (e) => e.data.counterId,
        creates: (e) => e.type === 'CounterOpened',
      },
      await events.readStream(stream('a')),
    );

  beforeEach(() => {
    events = new SqliteEventStore(openSqlite(':memory:'), systemClock, { pollIntervalMs: 10 });
    views = new SqliteViewStore(openSqlite(':memory:'), definition);
  });
  afterEach(() => events.close());

  it('folds a stream the way the read model does, skipping events of other kinds', async () => {
    await events.append(stream('a'), [opened('a'), bumped('a'), { type: 'SomethingElse', version: 1, data: {} }, bumped('a')], 'no_stream');
    const read = await events.readStream(stream('a'));
    expect(viewFromStream(fold, read)).toEqual({ id: 'a', revision: 3, bumps: 2 });
    await project();
    expect(await views.get('a')).toEqual(viewFromStream(fold, read));
  });

  it('answers from the log while the read model has not seen the stream yet', async () => {
    await events.append(stream('a'), [opened('a'), bumped('a')], 'no_stream');
    expect(await views.get('a')).toBeNull();
    expect(await viewById(views, events, fold, 'a', stream('a'))).toEqual({ id: 'a', revision: 1, bumps: 1 });
  });

  it('answers from the read model once it holds the view, without reading the stream', async () => {
    await events.append(stream('a'), [opened('a')], 'no_stream');
    await project();
    // Appended after the projection ran: the read model's (older) view is still the answer.
    await events.append(stream('a'), [bumped('a')], 0);
    const readStream = jest.spyOn(events, 'readStream');
    expect(await viewById(views, events, fold, 'a', stream('a'))).toEqual({ id: 'a', revision: 0, bumps: 0 });
    expect(readStream).not.toHaveBeenCalled();
  });

  it('is null for an id with no stream', async () => {
    expect(await viewById(views, events, fold, 'nobody', stream('nobody'))).toBeNull();
  });
});
