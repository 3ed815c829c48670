export * from './lib/change-stream';
export * from './lib/test-infra';
