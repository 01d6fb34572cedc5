/** Notifications share the one rule for owners with reminders, tasks and schedules. */
export { ownerProblem } from '@herald/kernel';
