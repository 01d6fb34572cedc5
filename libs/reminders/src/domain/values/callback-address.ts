import { httpAddressProblem } from '@herald/kernel';
import { REMINDER_LIMITS } from './limits';

/** Returns why `address` cannot receive callbacks, or null when it can. */
export const addressProblem = (address: unknown): string | null => httpAddressProblem(address, 'address', REMINDER_LIMITS.maxAddressLength);
