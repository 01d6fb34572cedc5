import { CallbackAddressPolicy } from '@herald/reminders';
import { scheduleTargetRulesWith } from './target-rules';

describe('scheduleTargetRulesWith (the target rules plus the callback address policy)', () => {
  const rules = scheduleTargetRulesWith(new CallbackAddressPolicy(['127.0.0.0/8']));

  it.each([
    [
      'http://169.254.169.254/x',
      /^target\.reminder: address: callback address refused by the always-refused link-local networks: 169\.254\.169\.254/,
    ],
    ['http://[::ffff:169.254.169.254]/', /^target\.reminder: address: callback address refused by the always-refused link-local networks/],
    [
      'http://127.0.0.1:8080/',
      /^target\.reminder: address: callback address refused by CALLBACK_DENY_NETWORKS: 127\.0\.0\.1 .*CALLBACK_ALLOW_NETWORKS/,
    ],
  ])('refuses a reminder target calling %s, naming the policy', (address, message) => {
    expect(rules.problem({ reminder: { address } })).toMatch(message);
  });

  it.each(['http://localhost:8080/', 'http://10.0.0.1/hook', 'https://example.com/hook'])(
    'accepts %s (names are checked when the callback fires)',
    (address) => {
      expect(rules.problem({ reminder: { address } })).toBeNull();
    },
  );

  it('reports the reminder rules first, and leaves task targets and malformed targets to them', () => {
    expect(rules.problem({ reminder: { address: 'ftp://169.254.169.254/' } })).toMatch(/address must use http or https/);
    expect(rules.problem({ task: { type: 'report.export' } })).toBeNull();
    expect(rules.problem(null)).toMatch(/target must be exactly one of/);
    expect(rules.problem({ reminder: null })).toMatch(/target\.reminder must be an object/);
  });
});
