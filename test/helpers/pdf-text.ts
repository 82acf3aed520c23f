import { inflateSync } from 'node:zlib';

// The text of a PDF written by pdfkit (pdfmake), for tests: what a reader of the page would read.
// Just enough PDF for what pdfkit writes; compressed streams (FlateDecode) are inflated first.

/** Any run of spaces, no-break spaces included, as one space. */
export const sameSpaces = (text: string) => text.replace(/[\s\u00a0\u202f]+/g, ' ');

/**
 * The PDF with every FlateDecode stream inflated in place, as latin1 text. Each stream is cut by
 * its `/Length`, never by looking for `endstream` (compressed bytes may hold anything).
 */
function inflatedSource(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const streamStart = /\d+ 0 obj\s*<<((?:(?!endobj)[\s\S])*?)>>\s*stream\r?\n/g;
  let out = '';
  let position = 0;
  for (let match = streamStart.exec(source); match; match = streamStart.exec(source)) {
    const dictionary = match[1] ?? '';
    const length = Number(/\/Length (\d+)(?! \d+ R)/.exec(dictionary)?.[1] ?? Number.NaN);
    const start = match.index + match[0].length;
    if (!Number.isFinite(length)) continue;
    const data = source.slice(start, start + length);
    const text = dictionary.includes('/FlateDecode')
      ? inflateSync(Buffer.from(data, 'latin1')).toString('latin1')
      : data;
    out += source.slice(position, start) + text;
    position = start + length;
    streamStart.lastIndex = position;
  }
  return out + source.slice(position);
}

/** One text operation of a page: its baseline, its font size in points, and what it reads. */
export interface TextRun {
  y: number;
  size: number;
  text: string;
}

/**
 * The text of a pdfkit PDF, one run per text operation with its baseline and font size: glyph ids
 * are mapped to characters through each font's ToUnicode map. Just enough PDF for what pdfkit writes.
 */
export function textRunsOf(pdf: Buffer): TextRun[] {
  const source = inflatedSource(pdf);
  const objects = new Map<string, string>();
  for (const match of source.matchAll(/(\d+) 0 obj([\s\S]*?)endobj/g))
    objects.set(match[1] ?? '', match[2] ?? '');

  const fontRefs = new Map<string, string>();
  for (const body of objects.values()) {
    const fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(body)?.[1] ?? '';
    for (const match of fontDict.matchAll(/\/(\w+)\s+(\d+) 0 R/g))
      fontRefs.set(match[1] ?? '', match[2] ?? '');
  }

  const utf16 = (hex: string) =>
    String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((unit) => Number.parseInt(unit, 16)));
  const cmaps = new Map<string, Map<number, string>>();
  for (const [name, ref] of fontRefs) {
    const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(objects.get(ref) ?? '')?.[1] ?? '';
    const cmap = new Map<number, string>();
    const stream = objects.get(toUnicode) ?? '';
    for (const range of stream.matchAll(/<(\w+)> <(\w+)> \[([^\]]*)\]/g)) {
      const start = Number.parseInt(range[1] ?? '', 16);
      const targets = [...(range[3] ?? '').matchAll(/<([\w ]+)>/g)].map((m) =>
        (m[1] ?? '').replaceAll(' ', ''),
      );
      targets.forEach((target, i) => cmap.set(start + i, utf16(target)));
    }
    for (const single of stream.matchAll(/^<(\w{4})> <(\w+)>$/gm))
      cmap.set(Number.parseInt(single[1] ?? '', 16), utf16(single[2] ?? ''));
    cmaps.set(name, cmap);
  }

  const runs: TextRun[] = [];
  let cmap = new Map<number, string>();
  let y = 0;
  let size = 0;
  const operations = /1 0 0 1 [\d.-]+ ([\d.-]+) Tm|\/(\w+) ([\d.]+) Tf|\[([^\]]*)\] TJ|<([0-9a-fA-F]*)> Tj/g;
  for (const op of source.matchAll(operations)) {
    if (op[1]) {
      y = Number(op[1]);
      continue;
    }
    if (op[2]) {
      cmap = cmaps.get(op[2]) ?? new Map();
      size = Number(op[3]);
      continue;
    }
    const hex =
      op[4] !== undefined ? [...op[4].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]).join('') : op[5];
    const glyphs = (hex ?? '').match(/.{4}/g) ?? [];
    runs.push({
      y,
      size,
      text: glyphs.map((glyph) => cmap.get(Number.parseInt(glyph, 16)) ?? '\ufffd').join(''),
    });
  }
  return runs;
}

/**
 * Runs joined as read: pdfmake writes a run per word (its space included), so runs on one baseline
 * are joined as they are, lines with a space (none after a hyphen at the end of a line).
 */
function joinedRuns(runs: readonly TextRun[]): string {
  let text = '';
  let lastY: number | null = null;
  for (const run of runs) {
    if (lastY !== null && run.y !== lastY && !text.endsWith('-')) text += ' ';
    text += run.text;
    lastY = run.y;
  }
  return text;
}

/** The text as read, page after page; any space is one space. */
export function readableText(pdf: Buffer): string {
  return sameSpaces(joinedRuns(textRunsOf(pdf)));
}

/**
 * The body text as read, and after it the small print (runs set below `smallPrint` points: the
 * pages' footers). A word broken at a page's end continues on the next page after that page's
 * footer; read in page order, the footer would land in the middle of the word.
 */
export function readableTextSmallPrintApart(pdf: Buffer, smallPrint: number): string {
  const runs = textRunsOf(pdf);
  const body = runs.filter((run) => run.size >= smallPrint);
  const footers = runs.filter((run) => run.size < smallPrint);
  return sameSpaces(`${joinedRuns(body)} ${joinedRuns(footers)}`);
}
