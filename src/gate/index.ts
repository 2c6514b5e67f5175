/** The CI threshold gate: spec, classification, table, runner. */
export * from './spec.js';
export * from './classify.js';
export * from './table.js';
export * from './run.js';
