/**
 * The VITE_* build-time variables, as one object: Vite's `define` in vite.config.mts replaces
 * `__WEB_ENV__` with them (from the environment and apps/web/.env* files, as `import.meta.env`
 * would have them); Jest's `globals` (jest.config.cts) provides an empty one. Read only by
 * `config/env.ts`, which validates them.
 */
declare const __WEB_ENV__: Readonly<Record<string, string | undefined>>;
