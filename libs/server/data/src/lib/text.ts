/**
 * Lengths as MariaDB counts them in a utf8mb4 VARCHAR and as the API states its limits: Unicode
 * code points, never UTF-16 units (`'😀'.length` is 2, one character).
 */
export function codePointLength(value: string): number {
  let length = value.length;
  for (let i = 0; i < value.length - 1; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

/**
 * Whether `value` has `min` to `max` code points. Most strings are decided by their UTF-16 length
 * alone (it bounds the code points from above, and half of it from below), so a 100,000-character
 * note is not walked.
 */
export function withinLength(value: string, min: number, max: number): boolean {
  const units = value.length;
  if (units < min) return false;
  if (units <= max && Math.ceil(units / 2) >= min) return true;
  const length = codePointLength(value);
  return length >= min && length <= max;
}
