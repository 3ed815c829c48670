/** Checks of the deployment files (compose, Kubernetes, Prometheus, Grafana): no Docker engine or cluster needed. */
module.exports = {
  displayName: 'deploy',
  preset: '../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testTimeout: 30_000,
};
