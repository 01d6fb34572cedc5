import type { INestApplication } from '@nestjs/common';

/** "METHOD /path" for every route the app's Fastify instance serves, read from its route tree (`:id` params as Fastify writes them). */
export function servedRoutes(app: INestApplication): Set<string> {
  const fastify = app.getHttpAdapter().getInstance() as { printRoutes(options: object): string };
  const tree = fastify.printRoutes({ commonPrefix: false, includeMeta: false });
  const routes = new Set<string>();
  const stack: { depth: number; prefix: string }[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)(?:[├└]── )(.*?)(?: \(([^)]*)\))?$/.exec(line.replace(/\u00a0/g, ' '));
    // A line this cannot read would hide its routes: fail instead.
    if (!match && line.trim() !== '') throw new Error(`cannot read this line of printRoutes: ${JSON.stringify(line)}`);
    if (!match) continue;
    const depth = match[1].length;
    while (stack.length > 0 && stack[stack.length - 1].depth >= depth) stack.pop();
    const prefix = `${stack[stack.length - 1]?.prefix ?? ''}${match[2]}`;
    stack.push({ depth, prefix });
    for (const method of (match[3] ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean))
      routes.add(`${method} ${prefix}`);
  }
  return routes;
}
