export const HERALD_WORKER_OPTIONS = Symbol('HERALD_WORKER_OPTIONS');
export const TASK_HANDLER_METADATA = 'herald:task-handler';
