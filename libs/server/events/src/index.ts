export * from './lib/change-feed';
export * from './lib/collab-relay';
export * from './lib/envelope';
export * from './lib/event-log';
export * from './lib/keys';
export * from './lib/proto-events';
export * from './lib/read-cache';
