export * from './ability.ts';
export * from './sections.ts';
