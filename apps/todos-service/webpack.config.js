const nestWebpackConfig = require('../../tools/build/nest-webpack.cjs');

module.exports = nestWebpackConfig(__dirname, 'todos-service', { swagger: false });
