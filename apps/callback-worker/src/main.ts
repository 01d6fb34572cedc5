import 'reflect-metadata';
import { CallbackWorkerModule } from '@herald/reminders';
import { heraldService, runService } from '@herald/runtime';

/** Consumes due callbacks from the broker, POSTs them, records each outcome. */
void runService(
  'callback-worker',
  (config) => heraldService('callback-worker', [CallbackWorkerModule], config),
  // In-process timers cannot cross a process boundary: apart, the scheduler and
  // the worker meet only through the broker.
  (config) =>
    config.RABBITMQ_URL
      ? null
      : 'RABBITMQ_URL is required when the callback-worker runs as its own service; run the all-in-one app for the embedded mode',
);
