import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import QRCode from 'qrcode';
import { layOutPdf, pdfBytes, printable } from '../pdf/printer.ts';
import {
  ACCESS_LETTER_TEXTS,
  type AccessLetterTexts,
  type LetterAudience,
  type LetterLocale,
} from './access-letter-texts.ts';

// The access letter (issue 12): how a client without e-mail or eID, or an informal supporter, gets
// into Liaison. It is printed by their lead and must be readable by someone with an intellectual
// disability: large type (body 14 pt), short sentences, numbered steps, the code printed big in equal
// boxes, one A4 page. The same letter as a web page is web/src/lib/components/AccessLetter.svelte.

/** Everything one access letter shows. */
export interface AccessLetter {
  locale: LetterLocale;
  audience: LetterAudience;
  recipientName: string;
  signInName: string;
  /** The one-time activation code, e.g. `K7QM-4RTA-9XPW`. */
  code: string;
  /** Absolute, with the sign-in name and the code in the query: the QR code encodes it. */
  activateUrl: string;
  expiresAt: Date;
  /** The lead who issued the letter: whom to ask for help. */
  issuedBy: { name: string; organizationName: string | null };
  issuedAt: Date;
}

const TIME_ZONE = 'Europe/Brussels';

/**
 * The QR code of a URL as an SVG string (error correction M, the standard 4-module quiet zone). The
 * PDF and the web page draw this same SVG, so what is tested here is what is printed. The output is
 * made by the `qrcode` package from the URL alone, so it is safe to insert as markup.
 */
export function accessLetterQrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}

function formatMoment(texts: AccessLetterTexts, moment: Date): { date: string; time: string } {
  const date = new Intl.DateTimeFormat(texts.dateLocale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: TIME_ZONE,
  })
    .format(moment)
    // A date is read as one thing: it moves to the next line whole.
    .replaceAll(' ', '\u00a0');
  const time = new Intl.DateTimeFormat(texts.dateLocale, {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: TIME_ZONE,
  }).format(moment);
  return { date, time };
}

function formatDay(texts: AccessLetterTexts, moment: Date): string {
  return new Intl.DateTimeFormat(texts.dateLocale, { dateStyle: 'long', timeZone: TIME_ZONE }).format(moment);
}

/** The address to type: host and path, without the scheme and without the code in the query. */
export function typedAddress(activateUrl: string): string {
  const url = new URL(activateUrl);
  return `${url.host}${url.pathname}`;
}

const INK = '#1b1b1b';
const MUTED = '#454545';
const RULE = '#5f6b76';
const CODE_CELL = 30;

/** The code in equal boxes, one character each, so that it reads like monospace and is typed one by one. */
function codeBoxes(code: string): Content {
  const characters = [...code];
  return {
    table: {
      widths: characters.map((character) => (character === '-' ? 14 : CODE_CELL - 8)),
      body: [
        characters.map((character) => ({
          text: character,
          alignment: 'center',
          fontSize: 26,
          bold: true,
          margin: [0, 2, 0, 0],
        })),
      ],
    },
    layout: {
      hLineWidth: () => 1,
      vLineWidth: () => 1,
      hLineColor: () => RULE,
      vLineColor: () => RULE,
      paddingLeft: () => 4,
      paddingRight: () => 4,
      defaultBorder: true,
    },
  } as Content;
}

function step(number: number, content: Content, gap: number): Content {
  return {
    columns: [
      { width: 30, text: `${number}.`, bold: true, fontSize: 16 },
      { width: '*', stack: [content].flat() },
    ],
    columnGap: 4,
    margin: [0, 0, 0, gap],
  };
}

/**
 * The spacing of the letter. `compact` is used only when long names or a long organisation push the
 * normal letter onto a second page: less white space, a smaller QR code, the same 14 pt text.
 */
interface Spacing {
  qrSize: number;
  gap: number;
  lineHeight: number;
  margins: [number, number, number, number];
}
const NORMAL: Spacing = { qrSize: 130, gap: 10, lineHeight: 1.15, margins: [50, 36, 50, 40] };
const COMPACT: Spacing = { qrSize: 110, gap: 6, lineHeight: 1.08, margins: [46, 28, 46, 34] };

function documentOf(letter: AccessLetter, qrSvg: string, spacing: Spacing): TDocumentDefinitions {
  const { gap } = spacing;
  const texts = ACCESS_LETTER_TEXTS[letter.locale];
  const expiry = formatMoment(texts, letter.expiresAt);
  const lead = letter.issuedBy.name;
  const organization = letter.issuedBy.organizationName;
  const t = (text: string) => printable(text);

  const content: Content[] = [
    { text: t(texts.title), fontSize: 24, bold: true, margin: [0, 0, 0, gap - 4] },
    { text: t(texts.greeting(letter.recipientName)), margin: [0, 0, 0, 4] },
    { text: t(texts.intro[letter.audience]), margin: [0, 0, 0, gap] },
    {
      table: {
        widths: ['*'],
        body: [
          [
            {
              stack: [
                { text: t(texts.signInNameLabel), color: MUTED },
                { text: letter.signInName, fontSize: 20, bold: true, margin: [0, 0, 0, 8] },
                { text: t(texts.codeLabel), color: MUTED, margin: [0, 0, 0, 2] },
                codeBoxes(letter.code),
                { text: t(texts.expiry(expiry.date, expiry.time)), margin: [0, 8, 0, 0] },
              ],
              margin: [10, 8, 10, 8],
            },
          ],
        ],
      },
      layout: {
        hLineWidth: () => 2,
        vLineWidth: () => 2,
        hLineColor: () => INK,
        vLineColor: () => INK,
      },
      margin: [0, 0, 0, gap],
    } as Content,
    { text: t(texts.stepsTitle), fontSize: 17, bold: true, margin: [0, 0, 0, gap - 4] },
    {
      columns: [
        {
          width: '*',
          stack: [
            step(
              1,
              [
                { text: t(texts.stepOpen) },
                { text: typedAddress(letter.activateUrl), bold: true, fontSize: 16, margin: [0, 2, 0, 2] },
                { text: t(texts.stepScan) },
              ],
              gap - 4,
            ),
            step(2, { text: t(texts.stepType) }, gap - 4),
            step(3, { text: t(texts.stepPassword) }, gap - 4),
          ],
        },
        // 110 to 130 pt (39 to 46 mm) for about 41 modules: a module of about 1 mm, easy for a phone.
        { width: spacing.qrSize, svg: qrSvg, fit: [spacing.qrSize, spacing.qrSize] },
      ],
      columnGap: 12,
    },
    { text: t(texts.afterSteps), margin: [0, 0, 0, gap] },
    { text: t(texts.keepSafe), bold: true },
    { text: t(texts.keepSecret), bold: true, margin: [0, 0, 0, gap] },
    { text: t(texts.helpTitle), fontSize: 17, bold: true, margin: [0, 0, 0, 2] },
    { text: t(texts.help(lead)) },
    ...(organization ? [{ text: t(texts.leadWorksAt(lead, organization)) }] : []),
    { text: t(texts.forgotten) },
  ];

  return {
    pageSize: 'A4',
    pageMargins: spacing.margins,
    language: letter.locale,
    info: { title: t(texts.title), author: lead, creator: 'Liaison', producer: 'Liaison' },
    defaultStyle: { font: 'Roboto', fontSize: 14, lineHeight: spacing.lineHeight, color: INK },
    content,
    footer: {
      text: t(texts.footer(formatDay(texts, letter.issuedAt), lead)),
      fontSize: 10,
      color: MUTED,
      margin: [spacing.margins[0], spacing.margins[3] - 26, spacing.margins[2], 0],
    },
  };
}

/** Options for tests: an uncompressed PDF has its text readable in the file. */
export interface RenderOptions {
  compress?: boolean;
}

/**
 * The access letter as a one-page A4 PDF in the letter's language, with the QR code of
 * `activateUrl`. Dates are those of Europe/Brussels.
 */
export async function renderAccessLetterPdf(
  letter: AccessLetter,
  options: RenderOptions = {},
): Promise<Buffer> {
  const qrSvg = await accessLetterQrSvg(letter.activateUrl);
  // Buffered pages can be counted before the document is written.
  const layOut = (spacing: Spacing) =>
    layOutPdf(documentOf(letter, qrSvg, spacing), { compress: options.compress, bufferPages: true });
  let document = await layOut(NORMAL);
  if (document.bufferedPageRange().count > 1) {
    document.end();
    document = await layOut(COMPACT);
  }
  return pdfBytes(document);
}
