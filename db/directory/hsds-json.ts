import { AT, type HsdsRecord } from './hsds.ts';
import { DirectoryImportError } from './errors.ts';

/**
 * The lines where the objects of a JSON text start, by path (`$`, `$.contents[0]`,
 * `$.contents[0].services[1]`), so that a bad record can be reported by its line.
 * Only called on text that `JSON.parse` accepted.
 */
export function objectLines(json: string): Map<string, number> {
  const lines = new Map<string, number>();
  // One frame per open container: its path, and the key or index its next value takes.
  const stack: Array<{ path: string; array: boolean; index: number; key: string | null }> = [];
  let line = 1;
  let lastString: string | null = null;

  const nextPath = (): string => {
    const top = stack.at(-1);
    if (!top) return '$';
    return top.array ? `${top.path}[${top.index}]` : `${top.path}.${top.key ?? ''}`;
  };

  for (let i = 0; i < json.length; i += 1) {
    const char = json[i];
    if (char === '\n') {
      line += 1;
    } else if (char === '"') {
      let end = i + 1;
      while (json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      lastString = JSON.parse(json.slice(i, end + 1)) as string;
      i = end;
    } else if (char === ':') {
      const top = stack.at(-1);
      if (top && !top.array) top.key = lastString;
    } else if (char === '{' || char === '[') {
      const path = nextPath();
      if (char === '{') lines.set(path, line);
      stack.push({ path, array: char === '[', index: 0, key: null });
    } else if (char === '}' || char === ']') {
      stack.pop();
    } else if (char === ',') {
      const top = stack.at(-1);
      if (top?.array) top.index += 1;
    }
  }
  return lines;
}

/** Tags every object of a parsed JSON value with the line it starts on. */
function tagPositions(value: unknown, path: string, file: string, lines: Map<string, number>): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => tagPositions(item, `${path}[${index}]`, file, lines));
  } else if (typeof value === 'object' && value !== null) {
    const record = value as HsdsRecord;
    record[AT] = { file, line: lines.get(path) ?? 1 };
    for (const [key, child] of Object.entries(record)) tagPositions(child, `${path}.${key}`, file, lines);
  }
}

/**
 * The organisations of an HSDS JSON document: one organisation (`organization_full.json`), a
 * page of them (`organization_list.json`: `{ "contents": [...] }`) or an array of them.
 * Malformed JSON, or a document of another kind, is fatal.
 */
export function readHsdsJson(textContent: string, file: string): HsdsRecord[] {
  let document: unknown;
  try {
    document = JSON.parse(textContent);
  } catch (error) {
    throw new DirectoryImportError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  tagPositions(document, '$', file, objectLines(textContent));
  const list = (items: unknown[]) =>
    items.map((item, index) => {
      if (typeof item === 'object' && item !== null && !Array.isArray(item)) return item as HsdsRecord;
      // Kept so that it is reported as a skipped row rather than silently dropped.
      return { [AT]: { file, line: 1 }, id: null, name: null, invalid: index } as HsdsRecord;
    });
  if (Array.isArray(document)) return list(document);
  if (typeof document !== 'object' || document === null)
    throw new DirectoryImportError(
      `${file}: expected an HSDS organization, a list of them or a page of them`,
    );
  const object = document as HsdsRecord;
  if (Array.isArray(object.contents)) return list(object.contents);
  if ('service' in object || 'organization' in object) {
    throw new DirectoryImportError(
      `${file}: this is an HSDS service record, which shows only part of an organisation; import organization records (organization_full or organization_list form) or the CSV datapackage`,
    );
  }
  if ('id' in object || 'name' in object) return [object];
  throw new DirectoryImportError(`${file}: expected an HSDS organization, a list of them or a page of them`);
}
