import fp from 'fastify-plugin';
import type { Database, DatabaseConnection } from '../../db/client.ts';
import { runInNewScope } from '../../db/scope.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
  }
}

/**
 * Makes the database available to routes as `app.db`; the connection is owned by the caller. Each
 * request runs in a database scope of its own (db/scope.ts): once the auth plugin knows the user,
 * every statement of the request runs for them under row-level security.
 */
export default fp<{ connection: DatabaseConnection }>(
  async function dbPlugin(app, { connection }) {
    app.decorate('db', connection.db);
    // A callback hook, so that the rest of the request (hooks, handler, reply) runs inside the scope.
    app.addHook('onRequest', (_request, _reply, done) => runInNewScope(done));
  },
  { name: 'db' },
);
