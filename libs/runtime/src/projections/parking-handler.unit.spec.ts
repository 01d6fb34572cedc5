import { RecordedEvent } from '@herald/event-store';
import { ParkedEvent, parkingHandler } from './parking-handler';
import { ProjectionDefinition } from './projection';

const event = (revision: number, type = 'SomethingHappened'): RecordedEvent => ({
  id: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
  stream: 'thing-1',
  revision,
  position: String(revision + 1),
  type,
  version: 1,
  data: {},
  metadata: {},
  recordedAt: new Date('2026-11-23T09:00:00.000Z'),
});

/** A projection that records what it applied and fails on events of type Poison, or on everything while `down`. */
function projection() {
  const applied: number[] = [];
  let down = false;
  let calls = 0;
  const definition: ProjectionDefinition = {
    name: 'test',
    categories: ['thing-'],
    truncate: async () => undefined,
    probe: async () => {
      if (down) throw new Error('store down');
    },
    handle: async (events) => {
      calls++;
      if (down) throw new Error('store down');
      if (events.some((e) => e.type === 'Poison')) throw new Error('cannot project this');
      applied.push(...events.map((e) => e.revision));
    },
  };
  return { definition, applied, setDown: (d: boolean) => (down = d), calls: () => calls };
}

describe('parkingHandler', () => {
  const parked: ParkedEvent[] = [];
  let storeUp = true;
  const options = {
    maxTries: 3,
    backoffMs: 1,
    isStopped: () => false,
    onRetry: () => undefined,
    onPark: (p: ParkedEvent) => void parked.push(p),
    storeProbe: async () => {
      if (!storeUp) throw new Error('checkpoint store down');
    },
  };
  beforeEach(() => {
    parked.length = 0;
    storeUp = true;
  });

  it('hands a batch straight through when it succeeds', async () => {
    const p = projection();
    await parkingHandler(p.definition, options)([event(0), event(1)]);
    expect(p.applied).toEqual([0, 1]);
    expect(p.calls()).toBe(1);
  });

  it('parks only the event that keeps failing on a healthy store, and applies the rest in order', async () => {
    const p = projection();
    await parkingHandler(p.definition, options)([event(0), event(1, 'Poison'), event(2)]);
    expect(p.applied).toEqual([0, 2]);
    expect(parked).toEqual([expect.objectContaining({ stream: 'thing-1', revision: 1, type: 'Poison', error: 'cannot project this' })]);
    expect(p.calls()).toBe(3 + 3); // three tries of the batch, then one per event
  });

  it('parks nothing during an outage: the error goes back to the subscription, which retries', async () => {
    const p = projection();
    p.setDown(true);
    await expect(parkingHandler(p.definition, options)([event(0), event(1)])).rejects.toThrow('store down');
    expect(parked).toEqual([]);
    expect(p.calls()).toBe(3);
  });

  it('asks the checkpoint store when the projection has no probe of its own', async () => {
    const p = projection();
    const { probe: _probe, ...withoutProbe } = p.definition;
    storeUp = false;
    await expect(parkingHandler(withoutProbe, options)([event(0, 'Poison')])).rejects.toThrow('cannot project this');
    expect(parked).toEqual([]);
  });

  it('never parks on an error that says the store is busy or failing, whatever the probe answers', async () => {
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const failing: ProjectionDefinition = { ...projection().definition, handle: async () => Promise.reject(busy) };
    await expect(parkingHandler(failing, options)([event(0)])).rejects.toBe(busy);
    expect(parked).toEqual([]);
  });

  it('recovers without parking when a later try succeeds', async () => {
    const p = projection();
    let failures = 2;
    const flaky: ProjectionDefinition = {
      ...p.definition,
      handle: async (events) => (failures-- > 0 ? Promise.reject(new Error('blip')) : p.definition.handle(events)),
    };
    await parkingHandler(flaky, options)([event(0)]);
    expect(p.applied).toEqual([0]);
    expect(parked).toEqual([]);
  });
});
