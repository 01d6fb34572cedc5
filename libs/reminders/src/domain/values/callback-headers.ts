import { httpHeadersProblem } from '@herald/kernel';
import { REMINDER_LIMITS } from './limits';

/** Returns why `headers` cannot be sent with a callback, or null when they can. */
export const headersProblem = (headers: unknown): string | null => httpHeadersProblem(headers, REMINDER_LIMITS);
