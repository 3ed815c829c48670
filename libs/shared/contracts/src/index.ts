export * from './lib/api';
export * from './lib/collab';
export * from './lib/error-codes';
export * from './lib/limits';
export * from './lib/realtime';
export * from './lib/realtime-client';
export * from './lib/sharing';
