import { randomBytes } from 'node:crypto';
import { conflict } from '@herald/kernel';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `<taskId>.<128 random bits>`: the task is found from the token alone (no
 * lookup table to keep), and the random part makes a lease unguessable and
 * tells one lease of a task from the next.
 */
export const newLeaseToken = (taskId: string): string => `${taskId}.${randomBytes(16).toString('base64url')}`;

/** The task a token belongs to; a token Herald never issued is a lost lease, like any other that no longer holds. */
export function taskIdOfToken(token: string): string {
  const [taskId, secret] = token.split('.');
  if (!UUID.test(taskId ?? '') || !secret) throw conflict('LeaseLost', `lease ${token} is not one Herald issued`);
  return taskId;
}
