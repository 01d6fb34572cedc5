import { NonRetryableError } from '../errors';
import { decideOutcome, settle } from './outcome';

describe('decideOutcome', () => {
  const running = { lost: false, aborted: false };

  it('completes with what the handler returned', () => {
    expect(decideOutcome(running, { ok: true, value: { url: 'u' } })).toEqual({ kind: 'complete', result: { url: 'u' } });
  });

  it('fails retryably with the error message, or not retryably for a NonRetryableError', () => {
    expect(decideOutcome(running, { ok: false, error: new Error('boom') })).toEqual({ kind: 'fail', error: 'boom', retryable: true });
    expect(decideOutcome(running, { ok: false, error: new NonRetryableError('bad') })).toEqual({ kind: 'fail', error: 'bad', retryable: false });
    expect(decideOutcome(running, { ok: false, error: 'plain string' })).toEqual({ kind: 'fail', error: 'plain string', retryable: true });
  });

  it('releases an aborted run whatever the handler did', () => {
    const aborted = { lost: false, aborted: true };
    expect(decideOutcome(aborted, { ok: true, value: 1 })).toEqual({ kind: 'release' });
    expect(decideOutcome(aborted, { ok: false, error: new NonRetryableError('x') })).toEqual({ kind: 'release' });
  });

  it('sends nothing once the lease is lost', () => {
    expect(decideOutcome({ lost: true, aborted: true }, { ok: true, value: 1 })).toEqual({ kind: 'none' });
  });
});

describe('settle', () => {
  it('captures a synchronous throw as a failure', async () => {
    const error = new Error('sync');
    await expect(
      settle(() => {
        throw error;
      }),
    ).resolves.toEqual({ ok: false, error });
  });
});
