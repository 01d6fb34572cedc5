// The only lib that imports more than one capability: schedules carried out as reminders and tasks.
export * from './schedule-targets.module';
export * from './target-rules';
export * from './occurrence-targets.projection';
export * from './runs-finished.projection';
