import { validate } from './env.validation';

describe('gateway env: rate limits', () => {
  it('defaults to 20 sign-in requests per minute and 50 API requests per second', () => {
    expect(validate({})).toMatchObject({ AUTH_RATE_LIMIT: 20, API_RATE_LIMIT: 50 });
  });

  it('reads integers from strings; 0 turns a limit off', () => {
    expect(validate({ AUTH_RATE_LIMIT: '5', API_RATE_LIMIT: '0' })).toMatchObject({ AUTH_RATE_LIMIT: 5, API_RATE_LIMIT: 0 });
  });

  it('refuses negative or non-integer values, naming the variable', () => {
    expect(() => validate({ AUTH_RATE_LIMIT: '-1' })).toThrow(/AUTH_RATE_LIMIT/);
    expect(() => validate({ API_RATE_LIMIT: '1.5' })).toThrow(/API_RATE_LIMIT/);
  });
});
