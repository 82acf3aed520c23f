import { WELFARE_TERMS, type WelfareConcept } from './welfare-terms.ts';

/**
 * The thesaurus compiled for the search, once when this module loads: a map from a term's
 * normalized words to the concepts that hold it. A search's words are matched against it in
 * `expandSearchWords`; PostgreSQL then turns each concept's terms into phrase queries
 * (`directory_expanded_tsquery`, migration 0010), so the search stays one statement.
 */

/**
 * Small words of the three languages that never make a term different ("accompagnement à
 * l'emploi" = "accompagnement emploi"); they are skipped when words are matched with terms.
 */
const FILLER = new Set([
  'a',
  'au',
  'aux',
  'd',
  'de',
  'des',
  'du',
  'en',
  'et',
  'l',
  'la',
  'le',
  'les',
  'pour',
  'een',
  'het',
  'met',
  'op',
  'van',
  'voor',
  'and',
  'for',
  'of',
  'the',
  'to',
  'with',
]);

/** Lowercase without accents, as the text search compares words. */
export function normalizeWord(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of a term or a search that count for matching (letters and digits, no filler). */
export function termKey(text: string): string {
  return (text.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [])
    .map(normalizeWord)
    .filter((word) => !FILLER.has(word))
    .join(' ');
}

interface CompiledThesaurus {
  concepts: readonly WelfareConcept[];
  /** termKey → indexes in `concepts`. */
  byKey: Map<string, number[]>;
  /** The most words a term has, to bound the search for the longest match. */
  longest: number;
}

function compile(concepts: readonly WelfareConcept[]): CompiledThesaurus {
  const byKey = new Map<string, number[]>();
  let longest = 1;
  concepts.forEach((concept, index) => {
    for (const term of [...concept.nl, ...concept.fr, ...concept.en]) {
      const key = termKey(term);
      if (!key) continue;
      const holders = byKey.get(key) ?? [];
      if (!holders.includes(index)) holders.push(index);
      byKey.set(key, holders);
      longest = Math.max(longest, key.split(' ').length);
    }
  });
  return { concepts, byKey, longest };
}

const THESAURUS = compile(WELFARE_TERMS);

/**
 * A part of a search: words that must all match (as typed: stemmed in Dutch and French, or as a
 * word's start), or else any term of the concepts they name, each term as a phrase in its language.
 */
export interface SearchGroup {
  words: string[];
  nl: string[];
  fr: string[];
  en: string[];
  /** The concepts matched (for tests and logs; the SQL does not read it). */
  concepts: string[];
}

/** Plural and inflection endings tried when a single word is not a term as typed. */
const ENDINGS = ['en', 'es', 's', 'x', 'e'];

function lookUp(key: string, single: boolean): number[] | undefined {
  const found = THESAURUS.byKey.get(key);
  if (found || !single) return found;
  for (const ending of ENDINGS) {
    if (key.length > ending.length + 3 && key.endsWith(ending)) {
      const stripped = THESAURUS.byKey.get(key.slice(0, -ending.length));
      if (stripped) return stripped;
    }
  }
  return undefined;
}

/**
 * Splits a search's words into groups: the longest runs of words that are a term of the
 * thesaurus become one group carrying every term of their concepts; every other word is a group
 * of its own. The search matches organisations that match every group (AND across concepts, OR
 * within one).
 */
export function expandSearchWords(words: readonly string[]): SearchGroup[] {
  const content = words
    .map((word, index) => ({ index, key: normalizeWord(word) }))
    .filter(({ key }) => !FILLER.has(key));
  const groups: SearchGroup[] = [];
  let nextWord = 0;
  const literal = (upTo: number) => {
    for (; nextWord < upTo; nextWord += 1)
      groups.push({ words: [words[nextWord]!], nl: [], fr: [], en: [], concepts: [] });
  };
  for (let at = 0; at < content.length;) {
    let matched: { length: number; concepts: number[] } | null = null;
    for (let length = Math.min(THESAURUS.longest, content.length - at); length >= 1; length -= 1) {
      const key = content
        .slice(at, at + length)
        .map((word) => word.key)
        .join(' ');
      const found = lookUp(key, length === 1);
      if (found) {
        matched = { length, concepts: found };
        break;
      }
    }
    if (!matched) {
      at += 1;
      continue;
    }
    const first = content[at]!.index;
    const last = content[at + matched.length - 1]!.index;
    literal(first);
    const concepts = matched.concepts.map((index) => THESAURUS.concepts[index]!);
    const union = (language: 'nl' | 'fr' | 'en') => [...new Set(concepts.flatMap((c) => c[language]))];
    groups.push({
      words: words.slice(first, last + 1),
      nl: union('nl'),
      fr: union('fr'),
      en: union('en'),
      concepts: concepts.map((c) => c.id),
    });
    nextWord = last + 1;
    at += matched.length;
  }
  literal(words.length);
  return groups;
}
