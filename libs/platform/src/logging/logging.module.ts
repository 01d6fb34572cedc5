import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { HeraldConfig } from '../config/herald-config';

/**
 * JSON logs through pino. With LOG_REQUESTS=false the per-request middleware
 * is not mounted at all (no child logger, no async-local store per request:
 * ~6 % of the main thread under load); lines logged while handling a request
 * then carry no `req` context.
 */
@Module({})
export class LoggingModule {
  static forRoot(service: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [HeraldConfig],
          useFactory: (config: HeraldConfig) => ({
            forRoutes: config.LOG_REQUESTS ? undefined : [],
            pinoHttp: {
              level: config.LOG_LEVEL,
              autoLogging: config.LOG_REQUESTS,
              base: { service },
              quietReqLogger: true,
            },
          }),
        }),
      ],
    };
  }
}
