// jsdom without the gaps a browser does not have: jsdom implements no Fetch API, so the tests
// (which build `Response`s for a scripted `fetch`) get Node's, as in a browser or in Node itself;
// nor TextEncoder/TextDecoder, which react-router needs.
const { TestEnvironment } = require('jest-environment-jsdom');

module.exports = class JsdomWithFetchEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of ['fetch', 'Headers', 'Request', 'Response', 'TextEncoder', 'TextDecoder']) this.global[name] ??= globalThis[name];
  }
};
