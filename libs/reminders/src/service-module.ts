import { DynamicModule, Type } from '@nestjs/common';
import { Clock } from '@herald/kernel';
import { ConfigModule, HealthModule, HeraldConfig, LoggingModule } from '@herald/platform';
import { StorageModule } from './storage/storage.module';

/**
 * A Herald service: shared infrastructure (config, logs, storage, health)
 * around the capability modules it runs. The four services and the
 * all-in-one differ only in the list.
 */
export function heraldService(name: string, capabilities: Type<unknown>[], config: HeraldConfig, options: { clock?: Clock } = {}): DynamicModule {
  class HeraldServiceModule {}
  const pascal = name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());
  Object.defineProperty(HeraldServiceModule, 'name', { value: `${pascal}Module` });
  return {
    module: HeraldServiceModule,
    imports: [ConfigModule.forRoot(config), LoggingModule.forRoot(name), StorageModule.forRoot(options), HealthModule, ...capabilities],
  };
}
