import { batches } from './rabbitmq-delayed-delivery';

const at = (dueAt: number, reminderId = `r${dueAt}`) => ({ reminderId, attempt: 1, dueAt });

describe('batches: callbacks per AMQP message', () => {
  it('puts callbacks due within a second of the first into one message, earliest first', () => {
    expect(batches([at(1_500), at(1_000), at(2_000)], 100)).toEqual([[at(1_000), at(1_500), at(2_000)]]);
  });

  it('starts a new message past the one-second span, so that none is routed far ahead of its time', () => {
    expect(batches([at(0), at(1_000), at(1_001), at(5_000)], 100)).toEqual([[at(0), at(1_000)], [at(1_001)], [at(5_000)]]);
  });

  it('caps a message at the batch size', () => {
    const many = Array.from({ length: 250 }, (_, i) => at(i, `r${i}`));
    expect(batches(many, 100).map((b) => b.length)).toEqual([100, 100, 50]);
  });

  it('sends one callback per message with a batch size of 1', () => {
    expect(batches([at(0), at(1)], 1)).toEqual([[at(0)], [at(1)]]);
  });
});
