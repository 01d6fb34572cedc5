import { TaskContext } from '../task/task-context';
import { compose, Middleware } from './compose';

const ctx = { taskId: 't-1', type: 'x' } as TaskContext;

describe('compose', () => {
  it('runs middleware in order around the handler, the first outermost', async () => {
    const seen: string[] = [];
    const mw =
      (name: string): Middleware =>
      async (_ctx, next) => {
        seen.push(`${name}:before`);
        const result = await next();
        seen.push(`${name}:after`);
        return result;
      };
    const pipeline = compose([mw('a'), mw('b')], async () => {
      seen.push('handler');
      return 42;
    });
    await expect(pipeline(ctx)).resolves.toBe(42);
    expect(seen).toEqual(['a:before', 'b:before', 'handler', 'b:after', 'a:after']);
  });

  it('lets a middleware replace the result or map the error', async () => {
    const wrap: Middleware = async (_ctx, next) => ({ wrapped: await next() });
    const mapError: Middleware = (_ctx, next) => next().catch((e: Error) => Promise.reject(new Error(`mapped: ${e.message}`)));
    await expect(compose([wrap], async () => 1)(ctx)).resolves.toEqual({ wrapped: 1 });
    await expect(compose([mapError], async () => Promise.reject(new Error('x')))(ctx)).rejects.toThrow('mapped: x');
  });

  it('refuses to run the handler twice for one task', async () => {
    let runs = 0;
    const twice: Middleware = async (_ctx, next) => {
      await next();
      return next();
    };
    await expect(compose([twice], async () => ++runs)(ctx)).rejects.toThrow('next() called more than once');
    expect(runs).toBe(1);
  });
});
