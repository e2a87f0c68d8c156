const cache = new Map<string, RegExp>();

/**
 * IAM wildcard matching as `StringLike` and `Action` do it: `*` matches any run of
 * characters (including none, and including `:` and `/`), `?` exactly one character,
 * everything else itself. Case-sensitive unless `ignoreCase`.
 *
 * @public
 */
export function matchesWildcard(
  pattern: string,
  value: string,
  ignoreCase = false,
): boolean {
  const cacheKey = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = cache.get(cacheKey);
  if (!re) {
    const body = pattern
      .split('')
      .map(ch => {
        if (ch === '*') return '.*';
        if (ch === '?') return '.';
        return ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
      })
      .join('');
    // `s` lets `*` and `?` match line breaks too: IAM has no notion of lines.
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    if (cache.size > 1000) {
      cache.clear();
    }
    cache.set(cacheKey, re);
  }
  return re.test(value);
}

/**
 * True when a string contains an IAM wildcard character.
 *
 * @public
 */
export function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?');
}
