export * from './ability.ts';
export * from './plan-list.ts';
export * from './consent.ts';
export * from './network.ts';
export * from './notifications.ts';
// The vocabularies the rules are written in, re-exported for the many importers of policies/.
export * from '../domain/sections.ts';
export * from '../domain/vocabularies.ts';
