import {
  CONDITION_OPERATOR_NAMES,
  parseConditionOperator,
  stringOperatorMatches,
} from './conditionOperators';

describe('condition operator names', () => {
  it('splits set qualifier, base and IfExists', () => {
    expect(
      parseConditionOperator('ForAllValues:StringNotLikeIfExists'),
    ).toEqual({
      name: 'ForAllValues:StringNotLikeIfExists',
      base: 'StringNotLike',
      family: 'String',
      negated: true,
      ifExists: true,
      setOperator: 'ForAllValues',
    });
    expect(parseConditionOperator('NotIpAddress')).toMatchObject({
      family: 'IpAddress',
      negated: true,
      ifExists: false,
    });
    expect(parseConditionOperator('ForAnyValue:ArnLike')).toMatchObject({
      family: 'Arn',
      setOperator: 'ForAnyValue',
    });
  });

  it('knows every documented base operator, with and without IfExists', () => {
    expect(CONDITION_OPERATOR_NAMES).toHaveLength(27);
    for (const name of CONDITION_OPERATOR_NAMES) {
      expect(parseConditionOperator(name)?.base).toBe(name);
    }
    for (const name of CONDITION_OPERATOR_NAMES.filter(n => n !== 'Null')) {
      expect(parseConditionOperator(`${name}IfExists`)?.ifExists).toBe(true);
    }
  });

  it.each([
    'StringEqual',
    'stringequals',
    'NullIfExists',
    'ForAllValues:Null',
    'ForAnyValue:ForAllValues:StringEquals',
    'ForSomeValues:StringEquals',
    'IfExists',
    'toString',
  ])('rejects %j', name => {
    expect(parseConditionOperator(name)).toBeUndefined();
  });
});

describe('string operators against one request value', () => {
  it.each([
    ['StringEquals', ['a', 'b'], 'b', true],
    ['StringNotEquals', ['a', 'b'], 'b', false],
    ['StringNotEquals', ['a', 'b'], 'c', true],
    ['StringEqualsIgnoreCase', ['ABC'], 'abc', true],
    ['StringNotEqualsIgnoreCase', ['ABC'], 'abc', false],
    ['StringLike', ['a*'], 'abc', true],
    ['StringNotLike', ['a*'], 'abc', false],
  ])('%s %j vs %j → %s', (base, values, value, expected) => {
    expect(stringOperatorMatches(base, values, value)).toBe(expected);
  });

  it('refuses operators outside the String family', () => {
    expect(() => stringOperatorMatches('NumericEquals', ['1'], '1')).toThrow(
      'Not a String operator',
    );
  });
});
