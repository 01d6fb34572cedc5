import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { HeraldConfig } from '../config/herald-config';
import { HeraldExceptionFilter } from './herald-exception.filter';
import { heraldValidationPipe } from './validation.pipe';

/**
 * Builds a Herald service on Fastify (lower per-request overhead than
 * Express) with the shared validation, error shape, logger and graceful
 * shutdown. Every app's main.ts and the e2e tests go through here.
 */
export async function createHttpApp(rootModule: Parameters<typeof NestFactory.create>[0], config: HeraldConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.BODY_LIMIT_BYTES });
  // abortOnError false: a failed start rejects (the caller exits), and app.get of an absent provider throws where it is asked.
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(heraldValidationPipe());
  app.useGlobalFilters(new HeraldExceptionFilter());
  app.enableShutdownHooks();
  return app;
}

export async function listen(app: INestApplication, config: HeraldConfig): Promise<string> {
  await app.listen(config.PORT, config.HOST);
  return app.getUrl();
}
