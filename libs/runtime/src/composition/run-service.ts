import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, HeraldConfig, createHttpApp, listen, loadConfig } from '@herald/platform';
import { DELAYED_DELIVERY, DelayedDelivery } from '@herald/scheduling';
import { DueEntryTransport } from '../transport/due-entry.transport';

type RootModule = Parameters<typeof NestFactory.create>[0];

/**
 * The body of every app's main.ts: read config, build the module, start
 * its due-entry consumers, listen. A bad configuration exits with status 2
 * and a message naming the variable.
 */
export async function runService(
  name: string,
  build: (config: HeraldConfig) => RootModule,
  requirements: (config: HeraldConfig) => string | null = () => null,
): Promise<void> {
  let config: HeraldConfig;
  try {
    config = loadConfig();
    const missing = requirements(config);
    if (missing) throw new ConfigError(missing);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(2);
  }
  const app = await startService(build(config), config);
  const url = await listen(app, config);
  new Logger(name).log(`listening on ${url}`);
}

/** Builds the HTTP app and, when it consumes due entries, connects their transport. */
export async function startService(root: RootModule, config: HeraldConfig): Promise<INestApplication> {
  const app = await createHttpApp(root, config);
  await startDueEntryConsumers(app, config);
  return app;
}

/**
 * `@EventPattern('<topic>')` handlers of the service become consumers of the
 * DelayedDelivery port (RabbitMQ or in-process timers). Services without the
 * port (the command and query APIs) start none. Global HTTP pipes and filters
 * are not inherited: a handler failure must reach the transport, which redelivers.
 */
async function startDueEntryConsumers(app: INestApplication, config: HeraldConfig): Promise<void> {
  let delivery: DelayedDelivery;
  try {
    delivery = app.get<DelayedDelivery>(DELAYED_DELIVERY, { strict: false });
  } catch {
    return;
  }
  const concurrency = (topic: string) => (topic === 'callbacks' ? config.CALLBACK_CONCURRENCY : config.TASK_DISPATCH_CONCURRENCY);
  app.connectMicroservice({ strategy: new DueEntryTransport(delivery, { concurrency }) });
  await app.startAllMicroservices();
}
