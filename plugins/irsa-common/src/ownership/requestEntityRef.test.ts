import { entityRefOf, parseRequestEntityRef } from './requestEntityRef';

describe('parseRequestEntityRef', () => {
  it.each([
    ['component:default/payments-api', 'component:default/payments-api'],
    ['Component:payments-api', 'component:default/payments-api'],
    ['component:team-a/Api_v2.1', 'component:team-a/Api_v2.1'],
  ])('accepts %s as %s', (raw, ref) => {
    const parsed = parseRequestEntityRef(raw);
    expect(parsed).toEqual({
      ok: true,
      value: expect.objectContaining({ ref }),
    });
  });

  it.each([
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['payments-api', 'has no kind'],
    ['component:default/../../group/team-platform', 'more than one "/"'],
    ['component:default/..', 'invalid name'],
    ['component:Default/api', 'invalid namespace'],
    ['comp onent:default/api', 'invalid kind'],
    ['component:default/', 'invalid name'],
    ['component:default/a%2Fb', 'invalid name'],
    [`component:default/${'a'.repeat(64)}`, 'invalid name'],
  ])('refuses %j (%s)', (raw, why) => {
    expect(parseRequestEntityRef(raw, 'entity')).toEqual({
      ok: false,
      problems: [
        {
          field: 'entity',
          message: expect.stringMatching(
            new RegExp(
              `${why.replace(
                /[.*+?^${}()|[\]\\"]/g,
                '\\$&',
              )}.*component:default/payments-api`,
            ),
          ),
        },
      ],
    });
  });

  it('refuses a non-string', () => {
    expect(parseRequestEntityRef(undefined as unknown as string).ok).toBe(
      false,
    );
  });
});

describe('entityRefOf', () => {
  it('lower-cases the kind and defaults the namespace', () => {
    expect(entityRefOf({ kind: 'Component', metadata: { name: 'api' } })).toBe(
      'component:default/api',
    );
    expect(
      entityRefOf({
        kind: 'Resource',
        metadata: { name: 'db', namespace: 'data' },
      }),
    ).toBe('resource:data/db');
  });
});
