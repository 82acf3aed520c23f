import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces.js';

// pdfmake 0.3 on the server, for every PDF Liaison writes (access letters, plans): its Printer
// without the package's default entry (which warns about and allows any file and URL access), fonts
// from an in-memory file system, every file and URL access refused, so that nothing in a letter or
// a plan can make the server read a file or fetch a URL.

interface VirtualFileSystem {
  existsSync(filename: string): boolean;
  readFileSync(filename: string): Buffer;
  writeFileSync(filename: string, content: Buffer): void;
}
export interface PdfKitDocument {
  bufferedPageRange(): { start: number; count: number };
  on(event: 'data', listener: (chunk: Buffer) => void): void;
  on(event: 'end', listener: () => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  end(): void;
}
type PrinterConstructor = new (
  fonts: TFontDictionary,
  virtualFs: VirtualFileSystem,
  urlResolver: unknown,
  localAccessPolicy: (path: string) => boolean,
) => {
  createPdfKitDocument(
    definition: TDocumentDefinitions,
    options: { bufferPages: boolean },
  ): Promise<PdfKitDocument>;
};
type UrlResolverConstructor = new (virtualFs: VirtualFileSystem) => {
  setUrlAccessPolicy(policy: (url: string) => boolean): void;
};

const require = createRequire(import.meta.url);
const PdfPrinter = (require('pdfmake/js/Printer.js') as { default: PrinterConstructor }).default;
const UrlResolver = (require('pdfmake/js/URLResolver.js') as { default: UrlResolverConstructor }).default;

/**
 * Roboto 3.014 as shipped in pdfmake's `fonts/Roboto` (SIL Open Font License 1.1): every Dutch and
 * French letter, ’ « » and the no-break space; it has no narrow no-break space (U+202F).
 */
const FONT_FILES = ['Roboto-Regular.ttf', 'Roboto-Medium.ttf'];
const FONTS: TFontDictionary = {
  Roboto: {
    normal: 'Roboto-Regular.ttf',
    bold: 'Roboto-Medium.ttf',
    italics: 'Roboto-Regular.ttf',
    bolditalics: 'Roboto-Medium.ttf',
  },
};

let fontFiles: Map<string, Buffer> | null = null;

function fontFileSystem(): VirtualFileSystem {
  if (!fontFiles) {
    const folder = path.join(path.dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
    fontFiles = new Map(FONT_FILES.map((file) => [file, readFileSync(path.join(folder, file))]));
  }
  const files = fontFiles;
  return {
    existsSync: (filename) => files.has(filename),
    readFileSync: (filename) => {
      const file = files.get(filename);
      if (!file) throw new Error(`PDF: no file ${filename}`);
      return file;
    },
    writeFileSync: () => {
      throw new Error('PDF: no downloads');
    },
  };
}

/** Roboto lacks U+202F (French narrow no-break space); the plain no-break space keeps the line together. */
export function printable(text: string): string {
  return text.replaceAll('\u202f', '\u00a0');
}

/**
 * Lays a pdfmake document out with the embedded Roboto; `bufferPages` lets the caller count its
 * pages before it is written. `compress: false` leaves its text readable in the file (tests).
 */
export function layOutPdf(
  definition: TDocumentDefinitions,
  options: { compress?: boolean; bufferPages?: boolean } = {},
): Promise<PdfKitDocument> {
  const files = fontFileSystem();
  const urlResolver = new UrlResolver(files);
  urlResolver.setUrlAccessPolicy(() => false);
  // pdfmake writes resolved font names back into the dictionary: give it a fresh copy each time.
  const printer = new PdfPrinter(structuredClone(FONTS), files, urlResolver, () => false);
  return printer.createPdfKitDocument(
    { ...definition, compress: options.compress ?? true },
    { bufferPages: options.bufferPages ?? false },
  );
}

/** Writes a laid-out document to bytes. */
export function pdfBytes(document: PdfKitDocument): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    document.on('data', (chunk) => chunks.push(chunk));
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
    document.end();
  });
}

/** Renders a pdfmake document with the embedded Roboto; `compress: false` leaves its text readable in the file. */
export async function renderPdf(definition: TDocumentDefinitions, compress = true): Promise<Buffer> {
  return pdfBytes(await layOutPdf(definition, { compress }));
}
