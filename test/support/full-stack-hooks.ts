import { ReplicaOptions, Replicas, startReplicas, stopReplicas } from './full-stack';

/**
 * The full stack for the enclosing describe block: started in beforeAll,
 * stopped (and its broker queues deleted) in afterAll, even when starting
 * outlived beforeAll's timeout on a loaded machine: afterAll waits for the
 * start to end, so no service is left running to keep jest from exiting.
 * Returns a getter for the tests.
 */
export function fullStackHooks(
  options: ReplicaOptions & { env?: Record<string, string>; taskTypes?: readonly string[]; timeoutMs?: number } = {},
): () => Replicas {
  const timeoutMs = options.timeoutMs ?? 90_000;
  let starting: Promise<Replicas> | null = null;
  let replicas: Replicas | null = null;
  beforeAll(async () => {
    starting = startReplicas(options.env, { commandApis: options.commandApis });
    replicas = await starting;
  }, timeoutMs);
  afterAll(async () => {
    const started = await starting?.catch(() => null);
    if (started) await stopReplicas(started, options.taskTypes);
  }, timeoutMs);
  return () => {
    if (!replicas) throw new Error('the full stack did not start');
    return replicas;
  };
}
