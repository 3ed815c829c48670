/**
 * The colour of a person in a live note (their cursor, selection, presence dot): picked from a
 * palette by a stable hash of the user id, so every tab and every other user sees the same one.
 * The palette reads on the light theme: dark enough for white label text, light variant for
 * selections.
 */
const PALETTE = [
  { color: '#2563eb', colorLight: '#2563eb33' },
  { color: '#d9480f', colorLight: '#d9480f33' },
  { color: '#2b8a3e', colorLight: '#2b8a3e33' },
  { color: '#9c36b5', colorLight: '#9c36b533' },
  { color: '#c2255c', colorLight: '#c2255c33' },
  { color: '#0c8599', colorLight: '#0c859933' },
  { color: '#5f3dc4', colorLight: '#5f3dc433' },
  { color: '#a16207', colorLight: '#a1620733' },
] as const;

export interface UserColour {
  color: string;
  colorLight: string;
}

/** FNV-1a over the id's UTF-16 code units: cheap, stable, well spread for short ids. */
function hash(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function userColour(userId: string): UserColour {
  return PALETTE[hash(userId) % PALETTE.length];
}

/** One or two letters for an avatar: "Ada Lovelace" → "AL", "ada" → "A". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const letters = words.length === 1 ? [words[0][0]] : [words[0][0], words[words.length - 1][0]];
  return letters.join('').toUpperCase();
}
