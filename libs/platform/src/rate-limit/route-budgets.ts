import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HeraldConfig } from '../config/herald-config';
import type { Scope } from '../auth/api-keys';
import { REQUIRED_SCOPE } from '../auth/scopes.decorator';
import { RateBudget, RateBudgets, WindowName, anyBudget, budgetOfRoute, counterKey, rateBudgets, trackerOf, windowLimit } from './rate-limits';

/** The budget each route spends, found once per handler from its scope (the metadata the API key guard reads too). */
@Injectable()
export class RouteBudgets {
  readonly budgets: RateBudgets;
  /** Whether any budget is on; when none is, the guard passes every call without looking further. */
  readonly any: boolean;
  private readonly keyed: boolean;
  private readonly byHandler = new WeakMap<object, RateBudget | null>();

  constructor(
    private readonly reflector: Reflector,
    config: HeraldConfig,
  ) {
    this.budgets = rateBudgets(config);
    this.any = anyBudget(this.budgets);
    this.keyed = config.HERALD_API_KEYS.length > 0;
  }

  /** null: the call is not limited (not HTTP, a public route, or its budget is off). */
  of(context: ExecutionContext): RateBudget | null {
    if (!this.any || context.getType() !== 'http') return null;
    const handler = context.getHandler();
    let budget = this.byHandler.get(handler);
    if (budget === undefined) {
      const scope = this.reflector.getAllAndOverride<Scope | null | undefined>(REQUIRED_SCOPE, [handler, context.getClass()]);
      budget = budgetOfRoute(scope, this.budgets);
      this.byHandler.set(handler, budget);
    }
    return budget;
  }

  limit(context: ExecutionContext, window: WindowName): number {
    const budget = this.of(context);
    return budget ? windowLimit(budget, window) : Number.MAX_SAFE_INTEGER;
  }

  tracker(request: Parameters<typeof trackerOf>[0], context: ExecutionContext): string {
    return trackerOf(request, this.keyed, this.spent(context).name);
  }

  key(context: ExecutionContext, tracker: string, window: string): string {
    return counterKey(this.spent(context), window, tracker);
  }

  /** The budget of a call the guard counts (one it did not skip). */
  private spent(context: ExecutionContext): RateBudget {
    const budget = this.of(context);
    if (!budget) throw new Error('no rate budget for this route: it should have been skipped');
    return budget;
  }
}
