export * from './domain';
export * from './schedule-aggregate';
export * from './commands/schedule-target-rules.port';
export * from './queries/schedule-projections';
export * from './scheduling/schedule-timers.projection';
export * from './schedules.module';
export * from './schedule-metrics';
