/**
 * A small RFC 4180 CSV reader (no CSV package is installed): comma-separated fields, fields in
 * double quotes may hold commas, line breaks and doubled quotes (`""`). Records end with CRLF or
 * LF; a UTF-8 byte order mark and blank lines are ignored. Every record keeps the line it starts
 * on, so that a bad row can be reported where an editor shows it.
 */

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  fields: string[];
  /** Why this record cannot be read as it is (the rest of the file still is). */
  error?: string;
}

/** A file that cannot be read at all: what follows the error cannot be trusted. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** Splits CSV text into records; throws {@link CsvSyntaxError} on an unterminated quoted field. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const length = input.length;
  let i = 0;
  let line = 1;

  while (i < length) {
    const start = line;
    const fields: string[] = [];
    let error: string | undefined;
    let field = '';
    let endOfRecord = false;
    while (!endOfRecord) {
      if (input[i] === '"') {
        // A quoted field: up to the next quote that is not doubled.
        const quoteLine = line;
        i += 1;
        while (true) {
          if (i >= length) throw new CsvSyntaxError(quoteLine, 'a quoted field is never closed');
          const char = input[i]!;
          if (char === '"') {
            if (input[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i += 1;
            break;
          }
          if (char === '\n') line += 1;
          field += char;
          i += 1;
        }
        // After the closing quote only a separator or the end of the record may follow.
        if (i < length && input[i] !== ',' && input[i] !== '\n' && input[i] !== '\r') {
          error ??= `column ${fields.length + 1}: text after the closing quote`;
          while (i < length && input[i] !== ',' && input[i] !== '\n' && input[i] !== '\r') {
            field += input[i];
            i += 1;
          }
        }
      } else {
        while (i < length && input[i] !== ',' && input[i] !== '\n' && input[i] !== '\r') {
          field += input[i];
          i += 1;
        }
      }
      fields.push(field);
      field = '';
      if (i >= length) {
        endOfRecord = true;
      } else if (input[i] === ',') {
        i += 1;
      } else {
        // CRLF, LF or a lone CR ends the record.
        if (input[i] === '\r' && input[i + 1] === '\n') i += 1;
        i += 1;
        line += 1;
        endOfRecord = true;
      }
    }
    const blank = fields.length === 1 && fields[0] === '';
    if (!blank) records.push(error ? { line: start, fields, error } : { line: start, fields });
  }
  return records;
}

/** A CSV table: its header and its rows as objects keyed by column name. */
export interface CsvTable {
  columns: string[];
  rows: Array<{ line: number; values: Record<string, string>; error?: string }>;
}

/**
 * Reads a CSV file with a header row. A row whose number of fields differs from the header's
 * is kept with an error (the caller reports and skips it).
 */
export function parseCsvTable(text: string): CsvTable {
  const [header, ...records] = parseCsv(text);
  if (!header) return { columns: [], rows: [] };
  if (header.error) throw new CsvSyntaxError(header.line, `header: ${header.error}`);
  const columns = header.fields.map((name) => name.trim());
  const rows = records.map((record) => {
    const values: Record<string, string> = {};
    columns.forEach((column, index) => {
      values[column] = record.fields[index] ?? '';
    });
    const error =
      record.error ??
      (record.fields.length !== columns.length
        ? `has ${record.fields.length} fields, the header has ${columns.length}`
        : undefined);
    return error ? { line: record.line, values, error } : { line: record.line, values };
  });
  return { columns, rows };
}
