export * from './lib/change-stream';
export * from './lib/push-receiver';
export * from './lib/test-infra';
