import { TaskContext } from '../task/task-context';

export type Next = () => Promise<unknown>;

/** Wraps the handler, as a BackgroundProcessing decorator would: logging, metrics, error mapping. */
export type Middleware = (ctx: TaskContext, next: Next) => Promise<unknown>;

export type Pipeline = (ctx: TaskContext) => Promise<unknown>;

/** The first middleware is outermost: it runs first and sees the final result (or error) last. */
export function compose(middleware: readonly Middleware[], handler: Pipeline): Pipeline {
  return middleware.reduceRight<Pipeline>(
    (next, mw) => (ctx) =>
      mw(
        ctx,
        once(() => next(ctx)),
      ),
    handler,
  );
}

/** Running the handler twice for one lease would do its work twice: refuse. */
function once(next: Next): Next {
  let called = false;
  return () => {
    if (called) return Promise.reject(new Error('next() called more than once'));
    called = true;
    return next();
  };
}
