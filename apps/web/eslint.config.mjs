import nx from '@nx/eslint-plugin';

import baseConfig from '../../eslint.config.mjs';

const features = ['auth', 'notes', 'todos', 'account', 'notifications'];

export default [
  ...nx.configs['flat/react'],
  ...baseConfig,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    // Lets eslint-plugin-import resolve relative imports of TypeScript files (for the zones below).
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.jsx'] } } },
    rules: {
      // Layering (bulletproof-react): app composes features; a feature never imports another feature
      // or the app; shared code (lib, config, components) imports neither.
      'import/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: [
            ...features.map((feature) => ({
              target: `./src/features/${feature}`,
              from: './src/features',
              except: [`./${feature}`],
              message: 'Features are independent: move shared code to src/lib or src/components, or compose in src/app.',
            })),
            { target: './src/features', from: './src/app', message: 'Features never import the app layer.' },
            {
              target: ['./src/lib', './src/config', './src/components'],
              from: ['./src/features', './src/app'],
              message: 'Shared code never imports features or the app layer.',
            },
          ],
        },
      ],
    },
  },
];
