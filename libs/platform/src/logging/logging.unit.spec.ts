import { withoutLeaseSecrets } from './logging.module';

describe('request log lines', () => {
  it('keep the task id of a lease token in a worker protocol URL and hide its secret', () => {
    const url = '/api/v1/workers/leases/3f6b2a0e-1111-4222-8333-444455556666.Xk2s3cr3t-_abc/heartbeat';
    expect(withoutLeaseSecrets(url)).toBe('/api/v1/workers/leases/3f6b2a0e-1111-4222-8333-444455556666.[redacted]/heartbeat');
    expect(withoutLeaseSecrets('/api/v1/reminders?limit=5')).toBe('/api/v1/reminders?limit=5');
    expect(withoutLeaseSecrets(undefined)).toBeUndefined();
  });
});
