import { HeraldHttpError } from '../errors';
import { MAX_REPORTS_PER_REQUEST, WorkerReport } from '../protocol';
import { errorOf, HeraldClient } from './herald-client';

interface Pending {
  report: WorkerReport;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Batch requests in flight at once: enough to keep a report from waiting behind one slow request. */
const MAX_IN_FLIGHT = 2;

/**
 * Sends settle calls (complete, fail, release) as batches: what finishes
 * while earlier batches are in flight goes together in the next request, so
 * an idle worker reports each task at once and a busy one sends one request
 * per many tasks. Each report's promise settles as its single call would:
 * resolved when recorded, LeaseLostError when the lease is gone, the
 * transport's error when the request failed (the caller retries; Herald
 * recognises a report it already recorded).
 *
 * Against a Herald without `/workers/reports` (404), it falls back to one
 * call per report for good.
 */
export class ReportBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;
  private singles = false;

  constructor(private readonly client: HeraldClient) {}

  send(report: WorkerReport): Promise<void> {
    if (this.singles) return this.client.reportOne(report);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ report, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      this.inFlight++;
      // One turn of the event loop first: reports settled by the same burst of answers travel together.
      setImmediate(() => void this.flush().finally(() => (this.inFlight--, this.pump())));
    }
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, MAX_REPORTS_PER_REQUEST);
    if (batch.length === 0) return;
    try {
      const results = await this.client.report(batch.map((p) => p.report));
      results.forEach((result, i) => (result.ok ? batch[i].resolve() : batch[i].reject(errorOf(result.statusCode, result))));
    } catch (error) {
      // Every batch that meets the 404 (two may be in flight) goes out again as single calls.
      if (error instanceof HeraldHttpError && error.status === 404) {
        this.singles = true;
        for (const p of this.queue.splice(0).concat(batch)) void this.client.reportOne(p.report).then(p.resolve, p.reject);
        return;
      }
      batch.forEach((p) => p.reject(error));
    }
  }
}
