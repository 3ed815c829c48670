export * from './lib/push-action-token';
export * from './lib/push-endpoint';
export * from './lib/push-queue';
