import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { HeraldConfig } from '../config/herald-config';

/** JSON logs through pino; request lines can be switched off for throughput. */
@Module({})
export class LoggingModule {
  static forRoot(service: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [HeraldConfig],
          useFactory: (config: HeraldConfig) => ({
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
