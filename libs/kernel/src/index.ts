export * from './clock';
export * from './decider';
export * from './domain-error';
export * from './domain-event';
export * from './values/http-address';
export * from './values/http-headers';
export * from './values/range';
export * from './values/retry-policy';
