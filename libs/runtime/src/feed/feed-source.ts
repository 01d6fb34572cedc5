import { Global, Injectable, InjectionToken, Module, Provider } from '@nestjs/common';
import { RecordedEvent } from '@herald/event-store';

/**
 * What the live feed (`GET /api/v1/stream`) needs to know about one
 * capability's streams. Each capability declares one (feedSourceProvider) in
 * its query module; the feed itself is written once (FeedHub, FeedController).
 */
export interface FeedSource {
  /** The `category` of its messages and of the `category` filter: `reminder`, `task`, `schedule`, `notification`. */
  readonly category: string;
  /** Its streams' names start with this (`reminder-`); the resource id is the rest of the name. */
  readonly streamPrefix: string;
  /**
   * The owner an event states, for the events that state one (a creation:
   * `ReminderDefined`, `TaskEnqueued`, …; null: no owner); undefined for
   * events that do not say. The feed learns owners from these as they pass,
   * and reads a stream's own for a resource it has not seen created.
   */
  readonly ownerIn: (event: RecordedEvent) => string | null | undefined;
  /** The event's data as its `/events` endpoint shows it (header values redacted, secrets left out). Default: as stored. */
  readonly redact?: (type: string, data: unknown) => unknown;
  /** The channel an event is on, for sources that have channels (notifications); the `channel` filter matches it. */
  readonly channelOf?: (event: RecordedEvent) => string | undefined;
}

/** Every feed source of a service, registered at start-up by the capability modules. */
@Injectable()
export class FeedSources {
  private readonly sources = new Map<string, FeedSource>();

  register(source: FeedSource): void {
    if (this.sources.has(source.category)) throw new Error(`feed source ${source.category} registered twice`);
    this.sources.set(source.category, source);
  }

  all(): FeedSource[] {
    return [...this.sources.values()];
  }

  /** The source whose streams `stream` belongs to, or undefined (idempotency records, snapshots, …: not on the feed). */
  ofStream(stream: string): FeedSource | undefined {
    for (const source of this.sources.values()) if (stream.startsWith(source.streamPrefix)) return source;
    return undefined;
  }

  byCategory(category: string): FeedSource | undefined {
    return this.sources.get(category);
  }
}

/** The registry, global in every service (the service shell imports it) so any capability module can register. */
@Global()
@Module({ providers: [FeedSources], exports: [FeedSources] })
export class FeedSourcesModule {}

/** A provider that builds a capability's feed source from its dependencies and registers it: a query module lists it. */
export function feedSourceProvider<TDeps extends unknown[]>(
  category: string,
  inject: InjectionToken[],
  create: (...deps: TDeps) => FeedSource,
): Provider {
  return {
    provide: `feed-source:${category}`,
    inject: [FeedSources, ...inject],
    useFactory: (sources: FeedSources, ...deps: TDeps) => {
      const source = create(...deps);
      sources.register(source);
      return source;
    },
  };
}
