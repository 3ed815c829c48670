/** Integration tests against real MariaDB and Redis (`nx run todos-service:test:integration`). */
module.exports = {
  displayName: 'todos-service:integration',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.integration-spec.ts'],
  transform: {
    // fractional-indexing ships ES modules only: compiled to CommonJS for Jest (Node's own require runs it as it is).
    '/node_modules/fractional-indexing/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }],
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  transformIgnorePatterns: ['/node_modules/(?!fractional-indexing/)'],
  moduleFileExtensions: ['ts', 'js'],
  testTimeout: 30_000,
};
