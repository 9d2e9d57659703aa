import Fastify from 'fastify';
import { buildApp } from '../server/src/app.js';
import { openRuntime } from '../server/src/runtime.js';
import { type Captured, openHandle, runCaptured } from './floor.js';

/**
 * The bench's server process (forked by bench/run.ts): the real application exactly as `npm start`
 * builds it (minus the web assets), configured from the environment, on a free port of 127.0.0.1;
 * and beside it a bare Fastify with no plugins whose routes run the floor SQL of the read scenarios
 * (bench/floor.ts) over their own connection, the "bare route" the targets compare against.
 */

/** A read scenario's floor: the queries its repositories send, captured (bench/floor.ts). */
export interface FloorRoute {
  queries: Captured[];
}

export type ServerMessage = { type: 'ready'; appPort: number; barePort: number; pid: number };
export type ParentMessage = { type: 'routes'; routes: Record<string, FloorRoute> } | { type: 'stop' };

async function main() {
  const { config, database } = await openRuntime(process.env);
  const app = await buildApp({ config, database, serveWeb: false, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });

  const floor = await openHandle({ sqlitePath: config.sqlitePath, databaseUrl: config.databaseUrl, pool: 10 });
  let routes: Record<string, FloorRoute> = {};
  const bare = Fastify({ logger: false });
  // The bench's drain check: answers once the pool has worked off what a finished run left queued.
  bare.get('/floor-ping', async () => (await floor.all('SELECT 1 AS one'))[0]);
  bare.get<{ Params: { name: string } }>('/floor/:name', async (req, reply) => {
    const r = routes[req.params.name];
    if (!r) return reply.status(404).send({ error: 'no such floor route' });
    return runCaptured(floor, r.queries);
  });
  await bare.listen({ port: 0, host: '127.0.0.1' });

  process.on('message', async (m: ParentMessage) => {
    if (m.type === 'routes') routes = m.routes;
    if (m.type === 'stop') {
      await bare.close();
      await app.close();
      await floor.close();
      await database.close();
      process.exit(0);
    }
  });
  const port = (s: typeof bare) => {
    const a = s.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  };
  process.send!({
    type: 'ready',
    appPort: port(app as never),
    barePort: port(bare),
    pid: process.pid,
  } satisfies ServerMessage);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
