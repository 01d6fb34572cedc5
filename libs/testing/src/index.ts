export * from './decider-specification';
export * from './eventually';
export * from './broker';
