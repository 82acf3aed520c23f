// French as it is written, for the web app and the documents the server prints: names and
// organisations arrive in sentences through placeholders, so the sentences cannot elide for them.

/**
 * Elides « de » and « que » before a vowel or a mute h: « d’Atelier Horizon », « d’Inès ». Only
 * words with a capital are elided (names, organisations, acronyms): the words of the sentences
 * themselves are already written correctly.
 */
export function elideFrench(text: string): string {
  return text.replace(/(^|[\s(«"’'])([Dd]|[Qq]u)e (?=[AEIOUÂÊÎÔÛÉÈÀÆŒ]|H[aeiouyâêîôûéèà])/gu, '$1$2’');
}

/** The first day of a month as an ordinal: « 1er décembre », never « 1 décembre ». */
export function frenchFirstOfMonth(date: string): string {
  return date.replace(/(^|\s)1(?=[\s\u00a0])/u, '$11er');
}
