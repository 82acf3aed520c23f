import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Executor } from '../client.ts';
import { upsertImportedOrganizations } from '../queries/organizations.ts';
import { DirectoryImportError } from './errors.ts';
import {
  mapOrganization,
  positionOf,
  type HsdsRecord,
  type ImportedOrganization,
  type ImportIssue,
  type Position,
} from './hsds.ts';
import { readHsdsCsv } from './hsds-csv.ts';
import { readHsdsJson } from './hsds-json.ts';

export { DirectoryImportError } from './errors.ts';

/** What an import did: counts, and every row or field it left out with its file and line. */
export interface ImportReport {
  format: 'csv' | 'json';
  /** Organisation records read from the source, good or bad. */
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows left out, with why. */
  skipped: ImportIssue[];
  /** Fields left out of rows that were imported, with why. */
  warnings: ImportIssue[];
}

function isDataPackage(content: string): boolean {
  try {
    const document = JSON.parse(content) as unknown;
    return (
      typeof document === 'object' &&
      document !== null &&
      Array.isArray((document as { resources?: unknown }).resources)
    );
  } catch {
    return false; // reported as malformed HSDS JSON
  }
}

/** The organisations of an HSDS source, in either form, with the rows its reader already skipped. */
async function readSource(input: string) {
  let info;
  try {
    info = await stat(input);
  } catch (error) {
    throw new DirectoryImportError(`${input}: cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  if (!info.isDirectory() && input.toLowerCase().endsWith('.json')) {
    let content: string;
    try {
      content = await readFile(input, 'utf8');
    } catch (error) {
      throw new DirectoryImportError(`${input}: cannot be read (${(error as NodeJS.ErrnoException).code})`);
    }
    // A datapackage.json describes CSV files; any other JSON file is HSDS JSON.
    if (isDataPackage(content)) return { format: 'csv' as const, ...(await readHsdsCsv(input)) };
    const organizations = readHsdsJson(content, path.basename(input));
    return {
      format: 'json' as const,
      organizations,
      read: organizations.length,
      skipped: [] as ImportIssue[],
      provided: undefined,
    };
  }
  return { format: 'csv' as const, ...(await readHsdsCsv(input)) };
}

/**
 * Maps the source's organisations onto directory entries: a row without id or name, or with an
 * id seen before in the same source, is skipped; fields that do not fit are left out with a warning.
 */
export async function readDirectorySource(input: string): Promise<{
  format: 'csv' | 'json';
  read: number;
  rows: ImportedOrganization[];
  skipped: ImportIssue[];
  warnings: ImportIssue[];
}> {
  const source = await readSource(input);
  const skipped = [...source.skipped];
  const warnings: ImportIssue[] = [];
  const rows: ImportedOrganization[] = [];
  const firstSeen = new Map<string, Position>();
  const fallback: Position = { file: path.basename(input), line: 1 };
  for (const organization of source.organizations as HsdsRecord[]) {
    const at = positionOf(organization, fallback);
    const mapped = mapOrganization(organization, at, source.provided);
    if ('skip' in mapped) {
      skipped.push(mapped.skip);
      continue;
    }
    const first = firstSeen.get(mapped.row.sourceId);
    if (first) {
      skipped.push({ ...at, reason: `id "${mapped.row.sourceId}" was already read on line ${first.line}` });
      continue;
    }
    firstSeen.set(mapped.row.sourceId, at);
    rows.push(mapped.row);
    warnings.push(...mapped.warnings);
  }
  const byPosition = (a: ImportIssue, b: ImportIssue) => a.file.localeCompare(b.file) || a.line - b.line;
  return {
    format: source.format,
    read: source.read,
    rows,
    skipped: skipped.sort(byPosition),
    warnings: warnings.sort(byPosition),
  };
}

/**
 * Imports Open Referral HSDS data into the directory: an upsert by the source's id, in one
 * transaction, so that a fatal error ({@link DirectoryImportError}, or the database refusing a
 * row) imports nothing. Importing the same source again changes nothing.
 */
export async function importDirectory(db: Executor, input: string): Promise<ImportReport> {
  const source = await readDirectorySource(input);
  let counts;
  try {
    counts = await db.transaction((tx) => upsertImportedOrganizations(tx, source.rows));
  } catch (error) {
    // drizzle wraps the driver's error: PostgreSQL's own message is the cause.
    const cause = (error as { cause?: unknown }).cause;
    const message = cause instanceof Error ? cause.message : (error as Error).message;
    throw new DirectoryImportError(`the database refused the import (${message})`, { cause: error });
  }
  return {
    format: source.format,
    read: source.read,
    ...counts,
    skipped: source.skipped,
    warnings: source.warnings,
  };
}

/** The report as the command line prints it. */
export function formatImportReport(input: string, report: ImportReport): string {
  const changed = report.inserted + report.updated;
  const lines = [
    `${input} (HSDS ${report.format.toUpperCase()}): ${report.read} organisation(s) read; ` +
      `${changed} changed (${report.inserted} new, ${report.updated} updated), ${report.unchanged} unchanged, ` +
      `${report.skipped.length} row(s) skipped.`,
  ];
  for (const issue of report.skipped)
    lines.push(`  skipped ${issue.file} line ${issue.line}: ${issue.reason}`);
  for (const issue of report.warnings)
    lines.push(`  warning ${issue.file} line ${issue.line}: ${issue.reason}`);
  return lines.join('\n');
}
