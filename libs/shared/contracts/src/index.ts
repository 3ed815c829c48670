export * from './lib/api';
export * from './lib/error-codes';
export * from './lib/limits';
export * from './lib/realtime';
export * from './lib/realtime-client';
