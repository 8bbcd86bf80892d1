export * from './admin';
export * from './data-source';
export * from './embedded';
export * from './query-counter';
