import { hasWildcard, matchesWildcard } from './stringMatch';

describe('IAM wildcard matching', () => {
  it.each([
    ['*', '', true],
    ['*', 'anything:at/all', true],
    ['a*', 'a', true],
    ['a*c', 'abbbc', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a?c', 'abbc', false],
    ['a.c', 'abc', false],
    ['a.c', 'a.c', true],
    ['(a)+[b]{1}$^|\\', '(a)+[b]{1}$^|\\', true],
    ['A*', 'abc', false],
    ['*line', 'multi\nline', true],
  ])('%j against %j → %s', (pattern, value, expected) => {
    expect(matchesWildcard(pattern, value)).toBe(expected);
  });

  it('can ignore case, as action matching does', () => {
    expect(
      matchesWildcard('STS:Assume*', 'sts:AssumeRoleWithWebIdentity', true),
    ).toBe(true);
    expect(
      matchesWildcard('STS:Assume*', 'sts:AssumeRoleWithWebIdentity'),
    ).toBe(false);
  });

  it('keeps working past its cache size', () => {
    for (let i = 0; i < 1100; i++) {
      expect(matchesWildcard(`p${i}*`, `p${i}x`)).toBe(true);
    }
  });

  it('detects wildcards', () => {
    expect(hasWildcard('a*')).toBe(true);
    expect(hasWildcard('a?')).toBe(true);
    expect(hasWildcard('a.b')).toBe(false);
  });
});
