import { EMAIL_PATTERN, ID_PATTERN, USER_LIMITS } from './limits';

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

describe('ID_PATTERN', () => {
  it.each(['1', '42', '9'.repeat(19)])('accepts the id %s', (id) => expect(ID_PATTERN.test(id)).toBe(true));
  it.each(['', '0', '007', '-1', '1.5', 'abc', '1'.repeat(20)])('refuses the id %s', (id) => expect(ID_PATTERN.test(id)).toBe(false));
});
