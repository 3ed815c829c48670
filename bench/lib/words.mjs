// Deterministic text for benchmark data: a seeded PRNG and a Zipf-ish vocabulary of pseudo-words.

/** mulberry32: a small, fast, seeded PRNG (same seed, same data). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'sa',
  'ti',
  'vo',
  'ze',
  'pa',
  'qui',
  'bra',
  'ston',
  'mel',
  'dor',
  'fin',
  'gal',
  'hex',
  'jun',
  'wex',
];

/** `size` distinct words of 2..4 syllables; early words are picked far more often (Zipf-like). */
export function vocabulary(size, random) {
  const words = new Set();
  while (words.size < size) {
    const n = 2 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < n; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(word);
  }
  const list = [...words];
  return {
    list,
    pick: () => list[Math.min(list.length - 1, Math.floor(list.length * random() ** 3))],
  };
}

/** The word planted in a few notes so that "rare word" searches have a known answer. */
export const RARE_WORD = 'zyzzogeton';
