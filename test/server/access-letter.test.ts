import { readFileSync } from 'node:fs';
import jsQRModule from 'jsqr';
import { describe, expect, it } from 'vitest';
import { ACCESS_LETTER_TEXTS, type LetterLocale } from '../../server/letters/access-letter-texts.ts';
import {
  accessLetterQrSvg,
  renderAccessLetterPdf,
  typedAddress,
  type AccessLetter,
} from '../../server/letters/access-letter.ts';
import { readableText, sameSpaces } from '../helpers/pdf-text.ts';

// The access letter (issue 12): one A4 page in the client's language, with the sign-in name, the code,
// the steps, and a QR code that scans to the activation address.

// jsqr is CommonJS with a `default` property; under NodeNext its default import is the module object.
const jsQR = jsQRModule.default;

const URL_OF_ANNA = 'https://liaison.example.be/activate?name=anna.peeters&code=K7QM-4RTA-9XPW';

function letterFor(overrides: Partial<AccessLetter> = {}): AccessLetter {
  return {
    locale: 'nl',
    audience: 'client',
    recipientName: 'Anna Peeters',
    signInName: 'anna.peeters',
    code: 'K7QM-4RTA-9XPW',
    activateUrl: URL_OF_ANNA,
    expiresAt: new Date('2026-12-15T13:30:00Z'),
    issuedBy: { name: 'Sofie Claes', organizationName: 'CAW Antwerpen' },
    issuedAt: new Date('2026-12-01T10:00:00Z'),
    ...overrides,
  };
}

/** The dark modules of qrcode's SVG path (`M x y.5 h n m dx 0 …`) as a black-on-white RGBA image. */
function rasterize(svg: string, scale = 4): { data: Uint8ClampedArray; width: number; height: number } {
  const size = Number(/viewBox="0 0 (\d+) (\d+)"/.exec(svg)?.[1]);
  const path = /<path stroke="#000000" d="([^"]+)"/.exec(svg)?.[1] ?? '';
  const dark = new Set<string>();
  let x = 0;
  let y = 0;
  for (const [, command, a, b] of path.matchAll(/([MmHh])([\d.-]+)(?: ([\d.-]+))?/g)) {
    if (command === 'M') [x, y] = [Number(a), Number(b)];
    else if (command === 'm') [x, y] = [x + Number(a), y + Number(b ?? 0)];
    else {
      for (let i = 0; i < Number(a); i++) dark.add(`${x + i},${Math.floor(y)}`);
      x += Number(a);
    }
  }
  const width = size * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (let py = 0; py < width; py++)
    for (let px = 0; px < width; px++)
      if (dark.has(`${Math.floor(px / scale)},${Math.floor(py / scale)}`))
        data.fill(0, (py * width + px) * 4, (py * width + px) * 4 + 3);
  return { data, width, height: width };
}

describe('accessLetterQrSvg', () => {
  it('draws a QR code that scans to the activation address', async () => {
    const svg = await accessLetterQrSvg(URL_OF_ANNA);
    expect(svg.startsWith('<svg')).toBe(true);
    const { data, width, height } = rasterize(svg);
    expect(jsQR(data, width, height)?.data).toBe(URL_OF_ANNA);
  });

  it('is the same for the same address, so the page and the PDF show one code', async () => {
    expect(await accessLetterQrSvg(URL_OF_ANNA)).toBe(await accessLetterQrSvg(URL_OF_ANNA));
    expect(await accessLetterQrSvg(`${URL_OF_ANNA}X`)).not.toBe(await accessLetterQrSvg(URL_OF_ANNA));
  });

  it('holds only the SVG drawing, safe to insert in a page', async () => {
    const svg = await accessLetterQrSvg('https://x.example/activate?name=<script>&code="1"');
    expect(svg).not.toMatch(/<script|onload|href/i);
  });
});

describe('renderAccessLetterPdf', () => {
  it.each(['nl', 'fr', 'en'] as const)(
    'writes one A4 page in %s with the code, the name and the steps',
    async (locale) => {
      const texts = ACCESS_LETTER_TEXTS[locale as LetterLocale];
      const pdf = await renderAccessLetterPdf(letterFor({ locale }), { compress: false });

      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const source = pdf.toString('latin1');
      expect(source.match(/\/Type \/Page\b/g)).toHaveLength(1);
      expect(source).toContain('/MediaBox [0 0 595.28 841.89]');

      const text = readableText(pdf);
      expect(text).toContain('K7QM-4RTA-9XPW');
      for (const expected of [
        texts.title,
        texts.greeting('Anna Peeters'),
        'anna.peeters',
        texts.stepOpen,
        typedAddress(URL_OF_ANNA),
        texts.stepScan,
        texts.stepType,
        texts.stepPassword,
        texts.keepSafe,
        texts.keepSecret,
        texts.help('Sofie Claes'),
        texts.leadWorksAt('Sofie Claes', 'CAW Antwerpen'),
      ])
        expect(text).toContain(sameSpaces(expected));
    },
  );

  it('writes dates in the language, in Brussels time', async () => {
    // 22:30 UTC on 15 December is 23:30 in Brussels; 23:30 UTC would already be the 16th there.
    const expiresAt = new Date('2026-12-15T22:30:00Z');
    const text = (locale: LetterLocale) =>
      renderAccessLetterPdf(letterFor({ locale, expiresAt }), { compress: false }).then(readableText);
    expect(await text('nl')).toContain('tot dinsdag 15 december 2026 om 23:30 uur');
    expect(await text('fr')).toContain('jusqu’au mardi 15 décembre 2026 à 23:30');
    expect(await text('en')).toContain('until Tuesday, 15 December 2026 at 23:30');
    expect(await text('fr')).toContain('Lettre faite le 1 décembre 2026 par Sofie Claes');
  });

  it('speaks to a supporter as a supporter, and leaves out a missing organisation', async () => {
    const pdf = await renderAccessLetterPdf(
      letterFor({ audience: 'supporter', issuedBy: { name: 'Sofie Claes', organizationName: null } }),
      { compress: false },
    );
    const text = readableText(pdf);
    expect(text).toContain(sameSpaces(ACCESS_LETTER_TEXTS.nl.intro.supporter));
    expect(text).not.toContain(sameSpaces(ACCESS_LETTER_TEXTS.nl.intro.client));
    expect(text).not.toContain('werkt bij');
  });

  it('keeps long names and a long organisation on one page, with every accent', async () => {
    const pdf = await renderAccessLetterPdf(
      letterFor({
        locale: 'fr',
        recipientName: 'Marie-Christine Vandenbroucke-Delacroix de Ghellinck d’Elseghem Vaernewyck',
        signInName: 'marie-christine.vandenbroucke',
        issuedBy: {
          name: 'Jean-Baptiste Vanderstraeten-Dubois de Saint-Éloi',
          organizationName:
            'CPAS de Schaerbeek – Service d’accompagnement psychosocial, de guidance budgétaire et de médiation de dettes (Œuvre sociale)',
        },
      }),
      { compress: false },
    );
    expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(1);
    const text = readableText(pdf);
    expect(text).toContain('Œuvre sociale');
    expect(text).toContain('Saint-Éloi');
    expect(text).not.toContain('\ufffd');
  });

  it('is compressed by default', async () => {
    const pdf = await renderAccessLetterPdf(letterFor());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('/FlateDecode');
    expect(pdf.length).toBeLessThan(100_000);
  });
});

describe('the letter on the web page', () => {
  const web = (locale: LetterLocale) =>
    (
      JSON.parse(
        readFileSync(new URL(`../../web/src/lib/i18n/${locale}/letter.json`, import.meta.url), 'utf8'),
      ) as { letter: Record<string, string> & { intro: Record<string, string> } }
    ).letter;
  const fill = (message: string | undefined, values: Record<string, string>) =>
    Object.entries(values).reduce((text, [key, value]) => text.replaceAll(`{${key}}`, value), message ?? '');

  it.each(['nl', 'fr', 'en'] as const)('says the same as the PDF in %s', (locale) => {
    const pdf = ACCESS_LETTER_TEXTS[locale];
    const page = web(locale);
    const values = { name: 'N', date: 'D', time: 'T', lead: 'L', organization: 'O' };
    expect({
      title: page.title,
      greeting: fill(page.greeting, values),
      intro: page.intro,
      signInNameLabel: page.signInNameLabel,
      codeLabel: page.codeLabel,
      expiry: fill(page.expiry, values),
      stepsTitle: page.stepsTitle,
      stepOpen: page.stepOpen,
      stepScan: page.stepScan,
      stepType: page.stepType,
      stepPassword: page.stepPassword,
      afterSteps: page.afterSteps,
      keepSafe: page.keepSafe,
      keepSecret: page.keepSecret,
      helpTitle: page.helpTitle,
      help: fill(page.help, values),
      leadWorksAt: fill(page.leadWorksAt, values),
      forgotten: page.forgotten,
      footer: fill(page.footer, values),
    }).toEqual({
      title: pdf.title,
      greeting: pdf.greeting('N'),
      intro: pdf.intro,
      signInNameLabel: pdf.signInNameLabel,
      codeLabel: pdf.codeLabel,
      expiry: pdf.expiry('D', 'T'),
      stepsTitle: pdf.stepsTitle,
      stepOpen: pdf.stepOpen,
      stepScan: pdf.stepScan,
      stepType: pdf.stepType,
      stepPassword: pdf.stepPassword,
      afterSteps: pdf.afterSteps,
      keepSafe: pdf.keepSafe,
      keepSecret: pdf.keepSecret,
      helpTitle: pdf.helpTitle,
      help: pdf.help('L'),
      leadWorksAt: pdf.leadWorksAt('L', 'O'),
      forgotten: pdf.forgotten,
      footer: pdf.footer('D', 'L'),
    });
  });
});
