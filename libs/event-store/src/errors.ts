import { ExpectedRevision } from './event-store.port';

/** Optimistic concurrency lost: someone appended first. Maps to HTTP 409. */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${stream} was expected at ${String(expected)} but is at ${String(actual)}`);
  }
}
