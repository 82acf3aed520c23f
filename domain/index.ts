// The neutral domain module: vocabularies and shared constants, pure TypeScript and zod. It is
// imported by db/, server/, web/ and policies/ and imports none of them (eslint.config.js).
// The zod schemas (./organization-fields.ts) are imported by their own path, so that the web app
// or policies/ can take a word list from here without bundling zod.
export * from './sections.ts';
export * from './vocabularies.ts';
export * from './municipalities.ts';
