import { problemsOf, quote, resultOf } from './problems';

describe('problem results', () => {
  it('merges results by their problems', () => {
    const bad = resultOf([{ field: 'a', message: 'm' }]);
    expect(bad).toEqual({
      ok: false,
      problems: [{ field: 'a', message: 'm' }],
    });
    expect(resultOf([])).toEqual({ ok: true });
    expect([
      ...problemsOf(bad),
      ...problemsOf({ ok: true }),
      ...problemsOf({ ok: true, value: 1 }),
    ]).toEqual([{ field: 'a', message: 'm' }]);
  });
  it('quotes values so invisible characters show', () => {
    expect(quote('a b\t')).toBe('"a b\\t"');
    expect(quote('x'.repeat(80))).toBe(`"${'x'.repeat(80)}"`);
    expect(quote('x'.repeat(100_000))).toBe(
      `"${'x'.repeat(60)}…" (100000 characters)`,
    );
  });
});
