import { fitsInPage, keysetPage } from './page-cap';

describe(fitsInPage.name, () => {
  it('keeps items while their bytes fit, at least one', () => {
    expect(fitsInPage([1, 1, 1], (n) => n, 10)).toBe(3);
    expect(fitsInPage([4, 4, 4], (n) => n, 10)).toBe(2);
    expect(fitsInPage([4, 4, 4], (n) => n, 8)).toBe(2);
    expect(fitsInPage([20, 1], (n) => n, 10)).toBe(1);
    expect(fitsInPage([], (n: number) => n, 10)).toBe(0);
  });
});

describe(keysetPage.name, () => {
  it('maps each row with the row alone (a mapper with optional parameters gets no index), and a cursor when more follow', () => {
    const toItem = (row: number, label = 'default') => `${row}:${label}`;
    expect(keysetPage([1, 2, 3], 2, { sizeOf: () => 1, toItem, cursorAfter: (last) => `after ${last}` })).toEqual({
      items: ['1:default', '2:default'],
      nextCursor: 'after 2',
    });
  });
});
