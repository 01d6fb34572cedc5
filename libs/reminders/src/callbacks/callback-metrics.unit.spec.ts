import { Metrics } from '@herald/platform';
import { CallbackMetrics, callbackOutcomeLabel } from './callback-metrics';

describe('callbackOutcomeLabel', () => {
  it('names what recording the attempt appended', () => {
    expect(callbackOutcomeLabel(true, ['ReminderCompleted'])).toBe('delivered');
    expect(callbackOutcomeLabel(false, ['CallbackAttemptFailed'])).toBe('retrying');
    expect(callbackOutcomeLabel(false, ['CallbackAttemptFailed', 'ReminderFailed'])).toBe('failed');
  });

  it('is dropped when the outcome could not be recorded, whatever the receiver answered', () => {
    expect(callbackOutcomeLabel(true, null)).toBe('dropped');
    expect(callbackOutcomeLabel(false, null)).toBe('dropped');
  });
});

describe('CallbackMetrics', () => {
  it('counts attempts by kind, outcomes, stale messages, and observes lateness and duration in seconds (early counts as 0)', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const callbacks = new CallbackMetrics(metrics);
    callbacks.started(1, 3);
    callbacks.started(2, -5);
    callbacks.finished('delivered', 40);
    callbacks.finished('retrying', 1_500);
    callbacks.staleMessage();
    const text = await metrics.render();
    expect(text).toContain('herald_callback_attempts_total{kind="first"} 1');
    expect(text).toContain('herald_callback_attempts_total{kind="retry"} 1');
    expect(text).toContain('herald_callbacks_total{outcome="delivered"} 1');
    expect(text).toContain('herald_callbacks_total{outcome="retrying"} 1');
    expect(text).toContain('herald_callback_stale_messages_total 1');
    expect(text).toContain('herald_callback_lateness_seconds_sum 0.003');
    expect(text).toContain('herald_callback_lateness_seconds_bucket{le="0.001"} 1');
    expect(text).toContain('herald_callback_duration_seconds_sum 1.54');
    expect(text).toContain('herald_callback_duration_seconds_bucket{le="0.05"} 1');
  });
});
