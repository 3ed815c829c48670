// The one webpack config of every Nest app: a Node bundle in dist/apps/<name> with the .proto
// files copied beside it (loaded at run time from <bundle dir>/proto).
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

/**
 * @param {string} appDir the app's folder (pass __dirname)
 * @param {string} name the Nx project name
 * @param {{ swagger?: boolean }} [options] swagger: run the @nestjs/swagger plugin over DTOs
 */
module.exports = function nestWebpackConfig(appDir, name, options = {}) {
  return {
    output: {
      path: join(__dirname, '../../dist/apps', name),
      clean: true,
      ...(process.env.NODE_ENV !== 'production' && { devtoolModuleFilenameTemplate: '[absolute-resource-path]' }),
    },
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        tsConfig: './tsconfig.app.json',
        assets: [{ glob: '**/*.proto', input: 'proto', output: 'proto' }],
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: true,
        sourceMap: true,
        transformers: options.swagger
          ? [{ name: '@nestjs/swagger/plugin', options: { classValidatorShim: true, introspectComments: true } }]
          : [],
      }),
    ],
  };
};
