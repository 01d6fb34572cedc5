export * from './values/cron-rule';
export * from './values/time-zone';
