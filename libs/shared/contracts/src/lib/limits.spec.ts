import { EMAIL_PATTERN, USER_LIMITS } from './limits';

describe('USER_LIMITS', () => {
  it.each(['abc', 'a_b_C_9', 'x'.repeat(20)])('accepts the username %s', (name) => {
    expect(USER_LIMITS.username.pattern.test(name)).toBe(true);
  });

  it.each(['ab', 'x'.repeat(21), 'has space', 'dash-ed', 'émile'])('refuses the username %s', (name) => {
    expect(USER_LIMITS.username.pattern.test(name)).toBe(false);
  });

  it('recognises e-mail addresses', () => {
    expect(EMAIL_PATTERN.test('ada@example.com')).toBe(true);
    expect(EMAIL_PATTERN.test('ada@example')).toBe(false);
    expect(EMAIL_PATTERN.test('a da@example.com')).toBe(false);
  });
});
