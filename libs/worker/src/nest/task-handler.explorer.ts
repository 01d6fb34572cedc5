import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { TaskContext } from '../task/task-context';
import { TASK_HANDLER_METADATA } from './constants';

export interface DiscoveredHandler {
  type: string;
  /** `Provider.method`, for error messages. */
  name: string;
  handler: (ctx: TaskContext) => unknown;
}

/** Finds `@TaskHandler` methods on the application's singleton providers. */
@Injectable()
export class TaskHandlerExplorer {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  explore(): DiscoveredHandler[] {
    return (
      this.discovery
        .getProviders()
        // Request-scoped providers have no instance to call outside a request.
        .filter((wrapper) => wrapper.isDependencyTreeStatic() && wrapper.instance && typeof wrapper.instance === 'object')
        .flatMap((wrapper) => this.handlersOf(wrapper.instance as Record<string, unknown>))
    );
  }

  private handlersOf(instance: Record<string, unknown>): DiscoveredHandler[] {
    const prototype = Object.getPrototypeOf(instance) as object;
    return this.scanner.getAllMethodNames(prototype).flatMap((method) => {
      const fn = instance[method] as (ctx: TaskContext) => unknown;
      const type = this.reflector.get<string | undefined>(TASK_HANDLER_METADATA, fn);
      if (!type) return [];
      return [{ type, name: `${instance.constructor.name}.${method}`, handler: (ctx: TaskContext) => fn.call(instance, ctx) }];
    });
  }
}
