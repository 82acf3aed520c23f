import { APPLICATION_ROLE, ensureApplicationRole } from './app-role.ts';
import { connectDatabase } from './client.ts';

// `npm run db:app-role`: with DATABASE_URL as the owner, creates or updates the application role
// (APP_DB_ROLE, default liaison_app) with the password in APP_DB_PASSWORD, and its grants.

const url = process.env['DATABASE_URL'];
const password = process.env['APP_DB_PASSWORD'];
if (!url || !password) {
  console.error('Set DATABASE_URL (the owner) and APP_DB_PASSWORD (16+ characters: A-Z a-z 0-9 _ -).');
  process.exit(2);
}
const connection = connectDatabase(url, { max: 1 });
try {
  await ensureApplicationRole(connection.db, {
    role: process.env['APP_DB_ROLE'] ?? APPLICATION_ROLE,
    password,
  });
  console.log(
    `Role ${process.env['APP_DB_ROLE'] ?? APPLICATION_ROLE} is ready: rows only, no table of its own.`,
  );
} finally {
  await connection.close();
}
