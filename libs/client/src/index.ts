// @herald/client: the TypeScript client of Herald's HTTP API, for Node ≥ 20.19 and browsers (fetch only).
export { Herald } from './herald';
export type { HeraldOptions, RemindersApi, TasksApi, SchedulesApi, NotificationsApi } from './herald';
export {
  HeraldError,
  HeraldBadRequestError,
  HeraldUnauthorizedError,
  HeraldForbiddenError,
  HeraldNotFoundError,
  HeraldConflictError,
  HeraldUnprocessableError,
  HeraldRateLimitedError,
  HeraldServerError,
} from './errors';
export { TASK_TERMINAL_EVENTS, RECONNECT_DELAYS } from './feed';
export type { FeedMessage, FeedFilter } from './feed';
export type * from './types';
