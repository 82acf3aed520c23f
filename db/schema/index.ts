export * from './enums.ts';
export * from './organizations.ts';
export * from './users.ts';
export * from './access-codes.ts';
export * from './plans.ts';
export * from './sections.ts';
export * from './consent.ts';
export * from './audit.ts';
