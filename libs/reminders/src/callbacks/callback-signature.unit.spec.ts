import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { CallbackSigner, signature, signingKey, withoutWebhookHeaders } from './callback-signature';

const secret = () => `whsec_${randomBytes(32).toString('base64')}`;
const NOW_MS = Date.parse('2026-11-23T09:00:00.750Z');

describe('signature', () => {
  it("matches the spec library's own test vector", () => {
    const key = signingKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(signature(key, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('signs the UTF-8 bytes of the body, as the library does', () => {
    const s = secret();
    const body = JSON.stringify({ payload: { note: 'café ☕ 𝄞', quote: '"' } });
    expect(signature(signingKey(s), 'id-1', 1_800_000_000, body)).toBe(new Webhook(s).sign('id-1', new Date(1_800_000_000_000), body));
  });
});

describe('CallbackSigner', () => {
  it('without secrets sends the id and the timestamp in whole seconds, and no signature', () => {
    expect(new CallbackSigner([]).headers('r-1', '{}', NOW_MS)).toEqual({
      'webhook-id': 'r-1',
      'webhook-timestamp': String(Math.floor(NOW_MS / 1000)),
    });
  });

  it('signs once per secret, in the configured order, space separated', () => {
    const [old, fresh] = [secret(), secret()];
    const body = '{"reminderId":"r-1","attempt":1}';
    const headers = new CallbackSigner([old, fresh]).headers('r-1', body, NOW_MS);
    const timestamp = Math.floor(NOW_MS / 1000);
    expect(headers['webhook-signature']).toBe(
      `${signature(signingKey(old), 'r-1', timestamp, body)} ${signature(signingKey(fresh), 'r-1', timestamp, body)}`,
    );
  });

  it('produces headers the spec library verifies with either secret, and no other', () => {
    const [old, fresh] = [secret(), secret()];
    const body = '{"reminderId":"r-1","payload":{"n":1},"attempt":2}';
    const headers = new CallbackSigner([old, fresh]).headers('r-1', body, Date.now());
    expect(new Webhook(old).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(fresh).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret()).verify(body, headers)).toThrow('No matching signature found');
    expect(() => new Webhook(old).verify(body.replace('"n":1', '"n":2'), headers)).toThrow('No matching signature found');
  });

  it('shows no key when inspected or serialised', () => {
    const s = secret();
    const signer = new CallbackSigner([s]);
    const key = signingKey(s).toString('hex');
    expect(JSON.stringify(signer)).not.toContain(key);
    expect(inspect(signer, { depth: 5 })).not.toMatch(/Buffer|[0-9a-f]{2} [0-9a-f]{2}/);
  });
});

describe('withoutWebhookHeaders', () => {
  it("drops a caller's webhook headers in any spelling and keeps the rest", () => {
    expect(withoutWebhookHeaders({ 'Webhook-Id': 'x', 'WEBHOOK-SIGNATURE': 'v1,x', 'webhook-timestamp': '1', Authorization: 'Bearer t' })).toEqual({
      Authorization: 'Bearer t',
    });
  });
});
