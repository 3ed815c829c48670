export * from './lib/api';
export * from './lib/error-codes';
export * from './lib/limits';
