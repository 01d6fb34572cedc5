import type { Lease } from '@herald/worker';
import { call } from './herald';

/** The protocol's own wire shape: the SDK and the raw worker read the same answer. */
export type RawLease = Lease;

/** A worker speaking the HTTP lease protocol by hand: what a worker in any language does. */
export class RawWorker {
  constructor(
    private readonly url: string,
    readonly workerId: string,
  ) {}

  async lease(types: string[], options: { max?: number; waitMs?: number } = {}): Promise<RawLease[]> {
    const r = await call(`${this.url}/api/v1/workers/leases`, { method: 'POST', json: { workerId: this.workerId, types, ...options } });
    if (r.status !== 200) throw new Error(`lease: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.leases;
  }

  /** Leases one task of `type`, waiting for it. */
  async leaseOne(type: string, waitMs = 5_000): Promise<RawLease> {
    const [lease] = await this.lease([type], { waitMs });
    if (!lease) throw new Error(`no ${type} task within ${waitMs} ms`);
    return lease;
  }

  report(token: string, verb: 'heartbeat' | 'complete' | 'fail' | 'release', body: Record<string, unknown> = {}) {
    return call(`${this.url}/api/v1/workers/leases/${token}/${verb}`, { method: 'POST', json: body });
  }

  /** Several complete / fail / release reports in one request. */
  reportBatch(reports: Record<string, unknown>[]) {
    return call(`${this.url}/api/v1/workers/reports`, { method: 'POST', json: { reports } });
  }
}
