import { batches, parseEntries } from './batches';

const at = (dueAt: number, key = `r${dueAt}`, topic = 'callbacks') => ({ topic, key, sequence: 1, dueAt });

describe('batches: due entries per AMQP message', () => {
  it('puts entries due within a second of the first into one message, earliest first', () => {
    expect(batches([at(1_500), at(1_000), at(2_000)], 100)).toEqual([[at(1_000), at(1_500), at(2_000)]]);
  });

  it('starts a new message past the one-second span, so that none is routed far ahead of its time', () => {
    expect(batches([at(0), at(1_000), at(1_001), at(5_000)], 100)).toEqual([[at(0), at(1_000)], [at(1_001)], [at(5_000)]]);
  });

  it('caps a message at the batch size', () => {
    const many = Array.from({ length: 250 }, (_, i) => at(i, `r${i}`));
    expect(batches(many, 100).map((b) => b.length)).toEqual([100, 100, 50]);
  });

  it('sends one entry per message with a batch size of 1', () => {
    expect(batches([at(0), at(1)], 1)).toEqual([[at(0)], [at(1)]]);
  });

  it('never mixes topics in one message: each goes to its own queue', () => {
    const lease = at(5, 't1', 'task-leases');
    expect(batches([at(0), lease, at(10)], 100)).toEqual([[at(0), at(10)], [lease]]);
  });
});

describe('parseEntries', () => {
  it('reads a batch and a single entry', () => {
    expect(parseEntries(Buffer.from(JSON.stringify([at(1), at(2)])))).toEqual([at(1), at(2)]);
    expect(parseEntries(Buffer.from(JSON.stringify(at(3))))).toEqual([at(3)]);
  });

  it('reads a reminder callback published before topics existed', () => {
    const legacy = { reminderId: 'r9', attempt: 2, dueAt: 42 };
    expect(parseEntries(Buffer.from(JSON.stringify([legacy])))).toEqual([{ topic: 'callbacks', key: 'r9', sequence: 2, dueAt: 42 }]);
  });

  it('refuses anything else', () => {
    expect(() => parseEntries(Buffer.from('{"x":1}'))).toThrow(/not a due entry/);
    expect(() => parseEntries(Buffer.from('nope'))).toThrow();
  });
});
