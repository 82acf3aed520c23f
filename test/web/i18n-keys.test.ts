import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every interface string exists in Dutch, French and English, with the same placeholders, and
// every key the web app names literally exists (README, "Languages").

const ROOT = fileURLToPath(new URL('../../web/src', import.meta.url));
const I18N = path.join(ROOT, 'lib/i18n');
const LOCALES = ['nl', 'fr', 'en'] as const;

type Messages = { [key: string]: string | Messages };

function areasOf(locale: string): string[] {
  return readdirSync(path.join(I18N, locale))
    .filter((file) => file.endsWith('.json'))
    .sort();
}

function read(locale: string, area: string): Messages {
  return JSON.parse(readFileSync(path.join(I18N, locale, area), 'utf8')) as Messages;
}

function flatten(messages: Messages, prefix = ''): Map<string, string> {
  const flat = new Map<string, string>();
  for (const [key, value] of Object.entries(messages)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') flat.set(name, value);
    else for (const [k, v] of flatten(value, name)) flat.set(k, v);
  }
  return flat;
}

/**
 * The arguments of an ICU message (`{name}`, `{count, plural, …}`), with the options of each
 * plural and select; throws on unbalanced braces or a plural/select without `other`.
 */
export function icuArguments(message: string): string[] {
  const found = new Set<string>();
  let i = 0;

  function readMessage(depth: number): void {
    while (i < message.length) {
      const char = message[i];
      if (char === '{') {
        i += 1;
        readArgument();
      } else if (char === '}') {
        if (depth === 0) throw new Error(`unexpected "}" at ${i}`);
        return;
      } else i += 1;
    }
    if (depth > 0) throw new Error('unclosed "{"');
  }

  function readArgument(): void {
    const start = i;
    while (i < message.length && message[i] !== ',' && message[i] !== '}') i += 1;
    const name = message.slice(start, i).trim();
    if (!/^[A-Za-z_][\w]*$/.test(name)) throw new Error(`bad argument name "${name}"`);
    if (message[i] === '}') {
      found.add(`${name}`);
      i += 1;
      return;
    }
    i += 1;
    const typeStart = i;
    while (i < message.length && message[i] !== ',' && message[i] !== '}') i += 1;
    const type = message.slice(typeStart, i).trim();
    if (message[i] === '}') {
      found.add(`${name}:${type}`);
      i += 1;
      return;
    }
    i += 1;
    if (type !== 'plural' && type !== 'select' && type !== 'selectordinal')
      throw new Error(`unknown argument type "${type}"`);
    const options: string[] = [];
    for (;;) {
      while (i < message.length && /\s/.test(message[i] ?? '')) i += 1;
      if (message[i] === '}') {
        i += 1;
        break;
      }
      const keyStart = i;
      while (i < message.length && message[i] !== '{' && !/\s/.test(message[i] ?? '')) i += 1;
      options.push(message.slice(keyStart, i));
      while (i < message.length && /\s/.test(message[i] ?? '')) i += 1;
      if (message[i] !== '{') throw new Error(`option "${options.at(-1)}" of "${name}" has no message`);
      i += 1;
      readMessage(1);
      i += 1;
    }
    if (!options.includes('other')) throw new Error(`"${name}" has no "other" option`);
    found.add(`${name}:${type}(${options.sort().join('|')})`);
  }

  readMessage(0);
  return [...found].sort();
}

const byLocale = new Map(
  LOCALES.map((locale) => {
    const merged = new Map<string, string>();
    const owner = new Map<string, string>();
    for (const area of areasOf(locale)) {
      const messages = read(locale, area);
      for (const top of Object.keys(messages)) {
        const other = owner.get(top);
        if (other) throw new Error(`${locale}: "${top}" is in both ${other} and ${area}`);
        owner.set(top, area);
      }
      for (const [key, value] of flatten(messages)) merged.set(key, value);
    }
    return [locale, merged] as const;
  }),
);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(svelte|ts)$/.test(entry.name) ? [full] : [];
  });
}

describe('interface messages', () => {
  it('has the same message files in every language', () => {
    const [first, ...rest] = LOCALES.map(areasOf);
    for (const areas of rest) expect(areas).toEqual(first);
  });

  it.each(LOCALES)('has every key of the other languages in %s', (locale) => {
    const keys = byLocale.get(locale) ?? new Map();
    const missing = LOCALES.filter((other) => other !== locale).flatMap((other) =>
      [...(byLocale.get(other)?.keys() ?? [])]
        .filter((key) => !keys.has(key))
        .map((key) => `${key} (in ${other})`),
    );
    expect(missing).toEqual([]);
  });

  /**
   * Values and plurals must be the same everywhere; a `select` used only for a language's grammar
   * (French "vous avez" / "il a") may be missing in another language, but where both languages
   * have it, its options must be the same.
   */
  function comparable(args: string[]): { strict: string[]; selects: Map<string, string> } {
    const selects = new Map<string, string>();
    const strict: string[] = [];
    for (const arg of args) {
      const match = /^(\w+):select\((.*)\)$/.exec(arg);
      if (match) selects.set(match[1] ?? '', match[2] ?? '');
      else strict.push(arg);
    }
    return { strict, selects };
  }

  it('uses the same placeholders in every language, and every message parses', () => {
    const differences: string[] = [];
    for (const [key, english] of byLocale.get('en') ?? new Map<string, string>()) {
      const expected = comparable(icuArguments(english));
      for (const locale of ['nl', 'fr'] as const) {
        const message = byLocale.get(locale)?.get(key);
        if (message === undefined) continue;
        const actual = comparable(icuArguments(message));
        if (JSON.stringify(actual.strict) !== JSON.stringify(expected.strict))
          differences.push(`${key} (${locale}): ${actual.strict.join(' ')} ≠ ${expected.strict.join(' ')}`);
        for (const [name, options] of actual.selects) {
          const other = expected.selects.get(name);
          if (other !== undefined && other !== options)
            differences.push(`${key} (${locale}): select ${name} (${options}) ≠ (${other})`);
        }
      }
    }
    expect(differences).toEqual([]);
  });

  it('has no empty message', () => {
    const empty = [...byLocale.entries()].flatMap(([locale, messages]) =>
      [...messages.entries()].filter(([, value]) => value.trim() === '').map(([key]) => `${locale}: ${key}`),
    );
    expect(empty).toEqual([]);
  });

  it('has every key that the web app names literally', () => {
    const english = byLocale.get('en') ?? new Map<string, string>();
    const prefixes = new Set(
      [...english.keys()].flatMap((key) =>
        key.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.')),
      ),
    );
    const missing = new Set<string>();
    for (const file of sourceFiles(ROOT)) {
      const source = readFileSync(file, 'utf8');
      // $_('a.b'), and keys kept in objects or ternaries ('nav.plans', 'problem.stale', …).
      for (const match of source.matchAll(/\$_\(\s*'([a-zA-Z][\w.-]*)'/g)) {
        if (!english.has(match[1] ?? '')) missing.add(`${match[1]} (${path.relative(ROOT, file)})`);
      }
      for (const match of source.matchAll(/\$_\(\s*`([a-zA-Z][\w.-]*)\.\$\{/g)) {
        if (!prefixes.has(match[1] ?? '')) missing.add(`${match[1]}.* (${path.relative(ROOT, file)})`);
      }
      for (const match of source.matchAll(/(?:key|label|title|text): '([a-z][\w]*\.[\w.-]+)'/g)) {
        if (!english.has(match[1] ?? '')) missing.add(`${match[1]} (${path.relative(ROOT, file)})`);
      }
    }
    expect([...missing]).toEqual([]);
  });

  it('reads ICU arguments, plurals and selects', () => {
    expect(icuArguments('{count, plural, one {# goal} other {# goals}} for {name}')).toEqual([
      'count:plural(one|other)',
      'name',
    ]);
    expect(() => icuArguments('{hasEnd, select, yes {until {until}}}')).toThrow(/other/);
    expect(() => icuArguments('{name')).toThrow();
  });
});
