module.exports = {
  displayName: 'todos-service',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    // fractional-indexing ships ES modules only: compiled to CommonJS for Jest (Node's own require runs it as it is).
    '/node_modules/fractional-indexing/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }],
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  transformIgnorePatterns: ['/node_modules/(?!fractional-indexing/)'],
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../coverage/apps/todos-service',
};
