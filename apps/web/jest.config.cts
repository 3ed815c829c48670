/**
 * Unit tests of the SPA in jsdom (@testing-library/react). @swc/jest compiles TS/TSX with React's
 * automatic JSX runtime, as Vite's build does.
 */
module.exports = {
  displayName: 'web',
  preset: '../../jest.preset.js',
  testEnvironment: '<rootDir>/jest.environment.cjs',
  testMatch: ['<rootDir>/src/**/*.spec.{ts,tsx}'],
  transform: {
    '^.+\\.[tj]sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
          target: 'es2022',
        },
      },
    ],
  },
  setupFilesAfterEnv: ['<rootDir>/src/i18n/jest-setup.ts'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'jsx'],
  // What Vite's `define` provides to the bundle (vite.config.mts): no VITE_ variables, i.e. the defaults.
  globals: { __WEB_ENV__: {} },
  coverageDirectory: '../../coverage/apps/web',
};
