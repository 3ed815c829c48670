export * from './lib/session.store';
export * from './lib/session-keys';
export * from './lib/tokens';
