export * from './lib/test-infra';
