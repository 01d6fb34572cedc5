// Recurring schedules (issue 9). So far: the domain's occurrence math.
export * from './domain';
