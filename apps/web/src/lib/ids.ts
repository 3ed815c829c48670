/** Orders the API's numeric string ids (shorter is smaller, then character by character) without BigInt. */
export function compareIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}
