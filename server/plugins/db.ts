import fp from 'fastify-plugin';
import type { Database, DatabaseConnection } from '../../db/client.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
  }
}

/** Makes the database available to routes as `app.db`; the connection is owned by the caller. */
export default fp<{ connection: DatabaseConnection }>(
  async function dbPlugin(app, { connection }) {
    app.decorate('db', connection.db);
  },
  { name: 'db' },
);
