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
              // Credentials never reach a log line: API keys (and any Authorization a client sends),
              // cookies, and the secret half of lease tokens in worker protocol URLs.
              redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
              serializers: { req: (req: { url?: string }) => ({ ...req, url: withoutLeaseSecrets(req.url) }) },
            },
          }),
        }),
      ],
    };
  }
}

/** `/api/v1/workers/leases/<taskId>.<secret>/heartbeat` → `…/<taskId>.[redacted]/heartbeat`: the task id stays for reading the log. */
export function withoutLeaseSecrets(url: string | undefined): string | undefined {
  return url?.replace(/(\/leases\/[^/.]+)\.[^/?#]+/g, '$1.[redacted]');
}
