/**
 * Is a secret good enough for production? One rule for every secret the apps are given
 * (JWT_SECRET, the passwords inside REDIS_URL / MYSQL_URL, the service identity keys).
 *
 * A secret passes when it has at least {@link MIN_SECRET_BITS} bits by this estimate and none of
 * the weaknesses below. The estimate is length × log2(alphabet), where the alphabet is the
 * smallest one the value fits in:
 *   - hex `[0-9a-fA-F]` → 16 symbols (4 bits a character: 64 characters for 32 bytes);
 *   - base64 / base64url `[A-Za-z0-9+/_-]`, `=` padding not counted → 64 symbols (6 bits: 43
 *     characters for 32 bytes);
 *   - anything else → the sum of the classes it uses: lower 26, upper 26, digits 10, other
 *     printable ASCII 33, anything beyond ASCII 100 (a passphrase of all four ASCII classes
 *     needs 40 characters, of lower-case letters only 55).
 * This is an upper bound for random values and far too generous for human-made ones, so it is
 * paired with pattern checks that a value drawn at random (`openssl rand -hex 32`,
 * `openssl rand -base64 32`, `randomBytes(32).toString('base64url')`) passes but a made-up one
 * does not: a placeholder word, a known example value, fewer than 10 distinct characters, one
 * character making up more than a quarter of the value, a repetition of a shorter string, or a
 * run of 8 consecutive (a→b→c… or 1→2→3…) or identical characters.
 */
export const MIN_SECRET_BITS = 256;

/**
 * Words that mark a value someone meant to replace. Each has 5+ letters: a short word such as
 * `test` would also turn up, now and then, inside a random base64 string.
 */
const PLACEHOLDER_WORDS = [
  'changeme',
  'change-me',
  'change_me',
  'replaceme',
  'replace-me',
  'example',
  'placeholder',
  'secret',
  'password',
  'passwd',
  'dev-only',
  'devonly',
  'dev_only',
  'local-only',
  'localonly',
  'insecure',
  'default',
  'sample',
  'dummy',
  'micronote',
  'qwerty',
  'letmein',
];

/** Example values shipped in docker-compose.yml, deploy/ and the docs (also caught by the words). */
const KNOWN_EXAMPLE_VALUES = new Set([
  'micronote-dev-only-secret-change-me-0123456789',
  'compose-local-only-secret-change-me-0123456789',
  'change-me-to-a-random-string-of-at-least-32-characters',
  'change-me',
  'micronote-local',
  'micronote',
  'admin',
  'root',
]);

/** Estimated bits of a value by length × log2(alphabet) (see the file comment). */
export function estimatedSecretBits(value: string): number {
  const chars = [...value];
  if (chars.length === 0) return 0;
  if (/^[0-9a-fA-F]+$/.test(value)) return chars.length * 4;
  const unpadded = value.replace(/=+$/, '');
  if (/^[A-Za-z0-9+/_-]+$/.test(unpadded)) return [...unpadded].length * 6;
  let alphabet = 0;
  if (/[a-z]/.test(value)) alphabet += 26;
  if (/[A-Z]/.test(value)) alphabet += 26;
  if (/[0-9]/.test(value)) alphabet += 10;
  if (/[\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/.test(value)) alphabet += 33;
  if (/[^\x20-\x7e]/u.test(value)) alphabet += 100;
  return chars.length * Math.log2(Math.max(alphabet, 2));
}

/** Period of the shortest unit the value repeats (`abcabcab` → 3), or 0 when it repeats none. */
function repetitionPeriod(chars: string[]): number {
  for (let period = 1; period <= chars.length / 2; period++) {
    let repeats = true;
    for (let i = period; i < chars.length && repeats; i++) repeats = chars[i] === chars[i - period];
    if (repeats) return period;
  }
  return 0;
}

/** Longest run of identical or consecutive (ascending or descending by one) characters. */
function longestRun(chars: string[]): number {
  let longest = chars.length > 0 ? 1 : 0;
  let run = 1;
  let step: number | undefined;
  for (let i = 1; i < chars.length; i++) {
    const delta = (chars[i].codePointAt(0) ?? 0) - (chars[i - 1].codePointAt(0) ?? 0);
    if (Math.abs(delta) <= 1 && (run === 1 || delta === step)) {
      run++;
      step = delta;
    } else if (Math.abs(delta) <= 1) {
      run = 2;
      step = delta;
    } else {
      run = 1;
      step = undefined;
    }
    longest = Math.max(longest, run);
  }
  return longest;
}

/**
 * What is wrong with `value` as the production secret `name`; empty when nothing is. Each message
 * names the variable, never the value (nor any part of it).
 */
export function secretProblems(name: string, value: string): string[] {
  if (value.length === 0) return [`${name} must be set`];
  const problems: string[] = [];
  const lower = value.toLowerCase();
  if (KNOWN_EXAMPLE_VALUES.has(lower)) problems.push(`${name} is an example value from the repository: generate your own`);
  else if (PLACEHOLDER_WORDS.some((word) => lower.includes(word))) problems.push(`${name} looks like a placeholder: generate a random one`);
  const chars = [...value];
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  const weak =
    counts.size < 10 ||
    Math.max(...counts.values()) > chars.length / 4 ||
    repetitionPeriod(chars) > 0 ||
    longestRun(chars) >= 8;
  if (weak) problems.push(`${name} has a pattern (repeated or sequential characters): generate a random one`);
  if (estimatedSecretBits(value) < MIN_SECRET_BITS) {
    problems.push(
      `${name} is too weak: it needs at least ${MIN_SECRET_BITS / 8} random bytes (e.g. \`openssl rand -hex 32\`, or \`openssl rand -base64 32\`)`,
    );
  }
  return problems;
}

/**
 * The password inside a `scheme://user:password@host` URL (percent-decoded), or undefined when
 * the URL carries none or does not parse.
 */
export function urlPassword(url: string): string | undefined {
  let password: string;
  try {
    password = new URL(url).password;
  } catch {
    return undefined;
  }
  if (!password) return undefined;
  try {
    return decodeURIComponent(password);
  } catch {
    return password;
  }
}
