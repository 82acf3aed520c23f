/** A piece of a text: words, or a phone number to call (`tel` is the number for a `tel:` link). */
export type TextPart = { text: string; tel?: undefined } | { text: string; tel: string };

// A Belgian or international number as people write it ("+32 2 555 01 12", "0470/55.09.87",
// "02-555-03-00": nine digits at least with the 0, so a date like 01.02.2026 is not one), or 112, the European
// emergency number. Other short numbers (house numbers, amounts, times) are left as they are: a
// wrong link to call is worse than none.
const PHONE = /(?:\+|\b0)\d(?:[ \u00a0./-]?\d){7,13}\b|\b112\b/g;

/** Splits a text into words and phone numbers, so that each number can be a `tel:` link. */
export function splitPhones(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(PHONE)) {
    const start = match.index;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: match[0], tel: match[0].replace(/[^\d+]/g, '') });
    last = start + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/**
 * A text as short lines, one idea each, the way easy-to-read texts are set: its own lines without
 * their list marks ("- ", "1. "), and each sentence on a line of its own (a sentence ends with
 * . ! or ? before a capital letter).
 */
export function linesOf(text: string): string[] {
  return text
    .split(/\n+/)
    .map((line) => line.replace(/^\s*(?:[-–•*]|\d+[.)])\s+/, ''))
    .flatMap((line) => line.split(/(?<=[.!?])\s+(?=\p{Lu})/u))
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
