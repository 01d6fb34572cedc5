/** Tasks, reminders and schedules share one rule for owners. */
export { ownerProblem } from '@herald/kernel';
