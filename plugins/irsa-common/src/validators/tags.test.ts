import {
  ROLE_ENTITY_REF_TAG,
  ROLE_MANAGED_BY_TAG,
  MANAGED_BY_VALUE,
} from '../constants';
import { validateRoleTags } from './tags';

const messages = (r: { ok: boolean; problems?: { message: string }[] }) =>
  (r.ok ? [] : r.problems!).map(p => p.message);

describe('IAM role tags', () => {
  it('accepts the product ownership tags', () => {
    expect(
      validateRoleTags([
        { Key: ROLE_MANAGED_BY_TAG, Value: MANAGED_BY_VALUE },
        { Key: ROLE_ENTITY_REF_TAG, Value: 'component:default/payments-api' },
      ]),
    ).toEqual({ ok: true });
  });

  it('accepts Unicode letters, spaces, an empty value and the maximum lengths', () => {
    expect(
      validateRoleTags([
        { Key: 'Kostenstelle Büro', Value: '' },
        { Key: 'k'.repeat(128), Value: 'é'.repeat(256) },
        { Key: '_.:/=+-@', Value: '_.:/=+-@' },
      ]),
    ).toEqual({ ok: true });
  });

  it.each([
    [[{ Key: '', Value: 'x' }], /0 characters long: IAM tag keys are 1–128/],
    [[{ Key: 'k'.repeat(129), Value: 'x' }], /129 characters long/],
    [
      [{ Key: 'k', Value: 'v'.repeat(257) }],
      /257 characters long: IAM tag values are at most 256/,
    ],
    [[{ Key: 'team#1', Value: 'x' }], /tag key "team#1" contains "#"/],
    [[{ Key: 'team', Value: 'a,b' }], /tag value "a,b" contains ","/],
    [
      [{ Key: 'aws:created-by', Value: 'x' }],
      /starts with "aws:": that prefix is reserved/,
    ],
    [[{ Key: 'AWS:x', Value: 'x' }], /reserved/],
    [[{ Key: 'x', Value: 'Aws:y' }], /tag value "Aws:y" starts with "aws:"/],
    [
      [
        { Key: 'Team', Value: 'a' },
        { Key: 'team', Value: 'b' },
      ],
      /"team" repeats "Team": IAM role tag keys are case-insensitive/,
    ],
  ])('rejects %j', (tags, message) => {
    expect(messages(validateRoleTags(tags)).join('\n')).toMatch(message);
  });

  it('counts characters, not UTF-16 units', () => {
    // U+1D4B3 is one letter but two UTF-16 code units.
    expect(validateRoleTags([{ Key: 'k', Value: '𝒳'.repeat(256) }])).toEqual({
      ok: true,
    });
    expect(
      messages(validateRoleTags([{ Key: 'k', Value: '𝒳'.repeat(257) }]))[0],
    ).toMatch(/257 characters/);
  });

  it('allows at most 50 tags and reports every problem', () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({
      Key: `k${i}`,
      Value: i === 0 ? 'bad!' : 'v',
    }));
    const problems = messages(validateRoleTags(tags));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/51 tags were given: IAM allows at most 50/);
  });
});
