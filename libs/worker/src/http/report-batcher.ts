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
/** Well under Herald's default body limit (1 MiB), whatever the results weigh. */
const MAX_BATCH_BYTES = 256 * 1024;

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
 * call per report for good; a batch refused as a whole (413, 400) goes out
 * again as single calls, each with its own answer. Batches stay under
 * ~256 KiB, so large results do not hit the body limit in the first place.
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
    const batch = this.take();
    if (batch.length === 0) return;
    try {
      const results = new Map((await this.client.report(batch.map((p) => p.report))).map((r) => [r.token, r]));
      for (const p of batch) {
        const result = results.get(p.report.token);
        if (!result) p.reject(new Error(`Herald's answer has no result for lease ${p.report.token}`));
        else if (result.ok) p.resolve();
        else p.reject(errorOf(result.statusCode, result));
      }
    } catch (error) {
      if (!(error instanceof HeraldHttpError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429)) {
        batch.forEach((p) => p.reject(error));
        return;
      }
      // A Herald without the endpoint (404: from now on one call per report), or a batch it refused as a whole
      // (too large, a report it cannot read): each report goes alone and gets its own answer.
      if (error.status === 404) this.singles = true;
      const alone = error.status === 404 ? this.queue.splice(0).concat(batch) : batch;
      for (const p of alone) void this.client.reportOne(p.report).then(p.resolve, p.reject);
    }
  }

  /** The next batch: up to MAX_REPORTS_PER_REQUEST reports and about MAX_BATCH_BYTES (at least one). */
  private take(): Pending[] {
    let bytes = 0;
    let count = 0;
    while (count < this.queue.length && count < MAX_REPORTS_PER_REQUEST) {
      bytes += JSON.stringify(this.queue[count].report).length;
      if (count > 0 && bytes > MAX_BATCH_BYTES) break;
      count++;
    }
    return this.queue.splice(0, count);
  }
}
