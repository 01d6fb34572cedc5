import { Injectable } from '@nestjs/common';

/** Something a service needs to be ready: a store it can query, a subscription that runs. */
export interface HealthProbe {
  readonly name: string;
  /** Resolves (optionally with details) when healthy; throws saying what is wrong. */
  check(): Promise<Record<string, unknown> | void>;
}

/** Components register their probes at start-up; GET /health runs them all. */
@Injectable()
export class HealthRegistry {
  private readonly probes = new Map<string, HealthProbe>();

  register(probe: HealthProbe): void {
    this.probes.set(probe.name, probe);
  }

  all(): HealthProbe[] {
    return [...this.probes.values()];
  }
}
