const nestWebpackConfig = require('../../tools/build/nest-webpack.cjs');

module.exports = nestWebpackConfig(__dirname, 'user-service', { swagger: false });
