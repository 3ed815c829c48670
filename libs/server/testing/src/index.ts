export * from './lib/change-stream';
export * from './lib/test-infra';
export * from './lib/push-receiver';
