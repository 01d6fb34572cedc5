import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, HeraldConfig, loadConfig } from '../config/herald-config';
import { createHttpApp, listen } from './create-http-app';

/**
 * The body of every app's main.ts: read config, build the module, listen.
 * A bad configuration exits with status 2 and a message naming the variable.
 */
export async function runService(
  name: string,
  build: (config: HeraldConfig) => Parameters<typeof NestFactory.create>[0],
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
  const app = await createHttpApp(build(config), config);
  const url = await listen(app, config);
  new Logger(name).log(`listening on ${url}`);
}
