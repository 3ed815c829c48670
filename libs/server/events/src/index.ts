export * from './lib/change-feed';
export * from './lib/event-log';
export * from './lib/keys';
export * from './lib/read-cache';
