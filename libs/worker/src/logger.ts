/** Where the worker reports what it cannot throw to anyone: outages, retries, lost leases. */
export interface WorkerLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

const PREFIX = '[herald-worker]';

function toConsole(write: (...args: unknown[]) => void) {
  return (message: string, meta?: Record<string, unknown>) => (meta ? write(PREFIX, message, meta) : write(PREFIX, message));
}

export const consoleLogger: WorkerLogger = {
  info: toConsole(console.info),
  warn: toConsole(console.warn),
  error: toConsole(console.error),
};

export const silentLogger: WorkerLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
