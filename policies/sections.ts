// The sections and vocabularies moved to domain/ (issue #11). This file only keeps `./ability.ts`'s
// import working until that import names ../domain directly; then it goes.
export * from '../domain/sections.ts';
export * from '../domain/vocabularies.ts';
