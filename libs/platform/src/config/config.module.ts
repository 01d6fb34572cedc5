import { DynamicModule, Global, Module } from '@nestjs/common';
import { HeraldConfig, loadConfig } from './herald-config';

/** Makes HeraldConfig injectable everywhere; tests pass their own. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: HeraldConfig = loadConfig()): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: HeraldConfig, useValue: config }], exports: [HeraldConfig] };
  }
}
