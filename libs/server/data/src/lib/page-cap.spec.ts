import { fitsInPage } from './page-cap';

describe(fitsInPage.name, () => {
  it('keeps items while their bytes fit, at least one', () => {
    expect(fitsInPage([1, 1, 1], (n) => n, 10)).toBe(3);
    expect(fitsInPage([4, 4, 4], (n) => n, 10)).toBe(2);
    expect(fitsInPage([4, 4, 4], (n) => n, 8)).toBe(2);
    expect(fitsInPage([20, 1], (n) => n, 10)).toBe(1);
    expect(fitsInPage([], (n: number) => n, 10)).toBe(0);
  });
});
