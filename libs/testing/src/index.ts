export * from './decider-specification';
export * from './eventually';
