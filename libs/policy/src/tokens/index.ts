export * from './context-token';
export * from './jwt-verifier';
export * from './keys';
export * from './token-error';
export * from './verification-cache';
