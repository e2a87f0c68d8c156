import { evaluateTrustPolicy, TrustDecision } from './evaluateTrustPolicy';
import {
  AMR,
  AUD,
  AUDIENCE,
  HOST_PATH,
  OTHER_HOST_PATH,
  OTHER_PROVIDER_ARN,
  policy,
  PROVIDER_ARN,
  request,
  RequestOverrides,
  statement,
  SUB,
  SUBJECT,
} from './__fixtures__/trustFixtures';

// Every row cites the IAM behaviour it encodes (IAM User Guide: "Condition operators",
// "Conditions with multiple context keys or values", "Single-valued vs. multivalued context
// keys", "Principal", "NotPrincipal", "Policy evaluation logic"). Rows are the spec of the
// evaluator; change one only with a documentation reference.
interface Row {
  name: string;
  policy: unknown;
  request?: RequestOverrides;
  expect: TrustDecision;
}

const allow = (condition: Record<string, Record<string, unknown>>) =>
  policy(statement(condition as any));
const deny = (condition?: Record<string, Record<string, unknown>>) =>
  statement(condition as any, { Effect: 'Deny' });

const stringEquals: Row[] = [
  {
    name: 'StringEquals: exact sub matches',
    policy: allow({ StringEquals: { [SUB]: SUBJECT } }),
    expect: 'allow',
  },
  {
    name: 'StringEquals: other sub does not match',
    policy: allow({
      StringEquals: { [SUB]: 'system:serviceaccount:payments:web' },
    }),
    expect: 'implicit-deny',
  },
  {
    name: 'StringEquals: values are case-sensitive',
    policy: allow({ StringEquals: { [SUB]: SUBJECT.toUpperCase() } }),
    expect: 'implicit-deny',
  },
  {
    name: 'StringEquals: several values are OR-ed (one matches)',
    policy: allow({
      StringEquals: { [SUB]: ['system:serviceaccount:x:y', SUBJECT] },
    }),
    expect: 'allow',
  },
  {
    name: 'StringEquals: several values are OR-ed (none match)',
    policy: allow({
      StringEquals: {
        [SUB]: ['system:serviceaccount:x:y', 'system:serviceaccount:x:z'],
      },
    }),
    expect: 'implicit-deny',
  },
  {
    name: 'StringEquals: condition key names are case-insensitive',
    policy: allow({ StringEquals: { [SUB.toUpperCase()]: SUBJECT } }),
    expect: 'allow',
  },
  {
    name: 'StringEquals: several keys are AND-ed (both match)',
    policy: allow({ StringEquals: { [SUB]: SUBJECT, [AUD]: AUDIENCE } }),
    expect: 'allow',
  },
  {
    name: 'StringEquals: several keys are AND-ed (aud differs)',
    policy: allow({
      StringEquals: { [SUB]: SUBJECT, [AUD]: 'sts.amazon.com' },
    }),
    expect: 'implicit-deny',
  },
  {
    name: 'StringEquals: absent key does not match',
    policy: allow({ StringEquals: { [AMR]: 'authenticated' } }),
    expect: 'implicit-deny',
  },
  {
    name: 'StringEquals: "*" is literal',
    policy: allow({
      StringEquals: { [SUB]: 'system:serviceaccount:payments:*' },
    }),
    expect: 'implicit-deny',
  },
  {
    name: 'StringEquals: "*" matches a literal "*"',
    policy: allow({ StringEquals: { [AUD]: '*' } }),
    request: { aud: '*' },
    expect: 'allow',
  },
  {
    name: 'StringEquals: number value compares as its string',
    policy: allow({ StringEquals: { 'aws:PrincipalAccount': 123 } }),
    request: { extra: { 'aws:PrincipalAccount': '123' } },
    expect: 'allow',
  },
];

const stringNotEquals: Row[] = [
  {
    name: 'StringNotEquals: value not listed matches',
    policy: allow({ StringNotEquals: { [SUB]: 'system:serviceaccount:x:y' } }),
    expect: 'allow',
  },
  {
    name: 'StringNotEquals: listed value does not match',
    policy: allow({ StringNotEquals: { [SUB]: SUBJECT } }),
    expect: 'implicit-deny',
  },
  {
    name: 'StringNotEquals: several values are NOR-ed',
    policy: allow({
      StringNotEquals: { [SUB]: ['system:serviceaccount:x:y', SUBJECT] },
    }),
    expect: 'implicit-deny',
  },
  {
    name: 'StringNotEquals: absent key matches (negated operator)',
    policy: allow({ StringNotEquals: { [AMR]: 'authenticated' } }),
    expect: 'allow',
  },
  {
    name: 'StringNotEquals: case-sensitive, so other case matches',
    policy: allow({ StringNotEquals: { [SUB]: SUBJECT.toUpperCase() } }),
    expect: 'allow',
  },
];

const ignoreCase: Row[] = [
  {
    name: 'StringEqualsIgnoreCase: other case matches',
    policy: allow({ StringEqualsIgnoreCase: { [SUB]: SUBJECT.toUpperCase() } }),
    expect: 'allow',
  },
  {
    name: 'StringEqualsIgnoreCase: other value does not match',
    policy: allow({
      StringEqualsIgnoreCase: { [SUB]: 'SYSTEM:SERVICEACCOUNT:PAYMENTS:WEB' },
    }),
    expect: 'implicit-deny',
  },
  {
    name: 'StringEqualsIgnoreCase: absent key does not match',
    policy: allow({ StringEqualsIgnoreCase: { [AMR]: 'x' } }),
    expect: 'implicit-deny',
  },
  {
    name: 'StringNotEqualsIgnoreCase: other case does not match',
    policy: allow({
      StringNotEqualsIgnoreCase: { [SUB]: SUBJECT.toUpperCase() },
    }),
    expect: 'implicit-deny',
  },
  {
    name: 'StringNotEqualsIgnoreCase: other value matches',
    policy: allow({
      StringNotEqualsIgnoreCase: { [SUB]: 'system:serviceaccount:x:y' },
    }),
    expect: 'allow',
  },
  {
    name: 'StringNotEqualsIgnoreCase: absent key matches',
    policy: allow({ StringNotEqualsIgnoreCase: { [AMR]: 'x' } }),
    expect: 'allow',
  },
];

const stringLike: Row[] = [
  {
    name: 'StringLike: "*" matches the rest',
    policy: allow({
      StringLike: { [SUB]: 'system:serviceaccount:payments:*' },
    }),
    expect: 'allow',
  },
  {
    name: 'StringLike: "?" matches one character',
    policy: allow({
      StringLike: { [SUB]: 'system:serviceaccount:payments:ap?' },
    }),
    expect: 'allow',
  },
  {
    name: 'StringLike: "?" matches exactly one character',
    policy: allow({
      StringLike: { [SUB]: 'system:serviceaccount:payments:a?' },
    }),
    expect: 'implicit-deny',
  },
  {
    name: 'StringLike: "*" matches nothing too',
    policy: allow({
      StringLike: { [SUB]: 'system:serviceaccount:payments:api*' },
    }),
    expect: 'allow',
  },
  {
    name: 'StringLike: "*" spans colons',
    policy: allow({ StringLike: { [SUB]: 'system:serviceaccount:*' } }),
    expect: 'allow',
  },
  {
    name: 'StringLike: matching is case-sensitive',
    policy: allow({ StringLike: { [SUB]: 'SYSTEM:serviceaccount:*' } }),
    expect: 'implicit-deny',
  },
  {
    name: 'StringLike: without wildcards it is exact',
    policy: allow({ StringLike: { [SUB]: SUBJECT } }),
    expect: 'allow',
  },
  {
    name: 'StringLike: partial match needs a wildcard',
    policy: allow({ StringLike: { [SUB]: 'system:serviceaccount:pay' } }),
    expect: 'implicit-deny',
  },
  {
    name: 'StringLike: several patterns are OR-ed',
    policy: allow({
      StringLike: {
        [SUB]: [
          'system:serviceaccount:x:*',
          'system:serviceaccount:payments:a*',
        ],
      },
    }),
    expect: 'allow',
  },
  {
    name: 'StringLike: absent key does not match',
    policy: allow({ StringLike: { [AMR]: '*' } }),
    expect: 'implicit-deny',
  },
  {
    name: 'StringLike: lone "*" matches any present value',
    policy: allow({ StringLike: { [SUB]: '*' } }),
    expect: 'allow',
  },
  {
    name: 'StringLike: "." is not a wildcard',
    policy: allow({
      StringLike: { [SUB]: 'system:serviceaccount:payments:a.i' },
    }),
    expect: 'implicit-deny',
  },
  {
    name: 'StringLike: regex syntax is literal',
    policy: allow({
      StringLike: { [SUB]: 'system:serviceaccount:payments:[a]pi' },
    }),
    expect: 'implicit-deny',
  },
  {
    name: 'StringNotLike: matching pattern does not match',
    policy: allow({
      StringNotLike: { [SUB]: 'system:serviceaccount:payments:*' },
    }),
    expect: 'implicit-deny',
  },
  {
    name: 'StringNotLike: non-matching pattern matches',
    policy: allow({
      StringNotLike: { [SUB]: 'system:serviceaccount:kube-system:*' },
    }),
    expect: 'allow',
  },
  {
    name: 'StringNotLike: absent key matches',
    policy: allow({ StringNotLike: { [AMR]: '*' } }),
    expect: 'allow',
  },
  {
    name: 'StringNotLike: several patterns are NOR-ed',
    policy: allow({ StringNotLike: { [SUB]: ['x*', 'system:*'] } }),
    expect: 'implicit-deny',
  },
];

const ifExists: Row[] = [
  {
    name: 'StringEqualsIfExists: absent key matches',
    policy: allow({ StringEqualsIfExists: { [AMR]: 'authenticated' } }),
    expect: 'allow',
  },
  {
    name: 'StringEqualsIfExists: present and equal matches',
    policy: allow({ StringEqualsIfExists: { [SUB]: SUBJECT } }),
    expect: 'allow',
  },
  {
    name: 'StringEqualsIfExists: present and different does not match',
    policy: allow({
      StringEqualsIfExists: { [SUB]: 'system:serviceaccount:x:y' },
    }),
    expect: 'implicit-deny',
  },
  {
    name: 'StringLikeIfExists: absent key matches',
    policy: allow({ StringLikeIfExists: { [AMR]: 'auth*' } }),
    expect: 'allow',
  },
  {
    name: 'StringNotEqualsIfExists: absent key matches',
    policy: allow({ StringNotEqualsIfExists: { [AMR]: 'x' } }),
    expect: 'allow',
  },
  {
    name: 'StringNotEqualsIfExists: present and equal does not match',
    policy: allow({ StringNotEqualsIfExists: { [SUB]: SUBJECT } }),
    expect: 'implicit-deny',
  },
  {
    name: 'Deny with StringNotEqualsIfExists still denies when the key is missing',
    policy: policy(
      statement(),
      deny({ StringNotEqualsIfExists: { [AMR]: 'authenticated' } }),
    ),
    expect: 'explicit-deny',
  },
  {
    name: 'StringEqualsIgnoreCaseIfExists: present other case matches',
    policy: allow({
      StringEqualsIgnoreCaseIfExists: { [SUB]: SUBJECT.toUpperCase() },
    }),
    expect: 'allow',
  },
];

const nullCheck: Row[] = [
  {
    name: 'Null "true": absent key matches',
    policy: allow({ Null: { [AMR]: 'true' } }),
    expect: 'allow',
  },
  {
    name: 'Null "true": present key does not match',
    policy: allow({ Null: { [SUB]: 'true' } }),
    expect: 'implicit-deny',
  },
  {
    name: 'Null "false": present key matches',
    policy: allow({ Null: { [SUB]: 'false' } }),
    expect: 'allow',
  },
  {
    name: 'Null "false": absent key does not match',
    policy: allow({ Null: { [AMR]: 'false' } }),
    expect: 'implicit-deny',
  },
  {
    name: 'Null on a key only STS knows cannot be decided',
    policy: allow({ Null: { 'aws:SourceIp': 'true' } }),
    expect: 'indeterminate',
  },
  {
    name: 'Null accepts JSON booleans',
    policy: allow({ Null: { [AMR]: true } }),
    expect: 'allow',
  },
  {
    name: 'Null: an empty list of request values counts as absent',
    policy: allow({ Null: { [AMR]: 'true' } }),
    request: { amr: [] },
    expect: 'allow',
  },
];

const forAnyValue: Row[] = [
  {
    name: 'ForAnyValue:StringEquals: one request value listed matches',
    policy: allow({ 'ForAnyValue:StringEquals': { [AMR]: 'authenticated' } }),
    request: { amr: ['unauthenticated', 'authenticated'] },
    expect: 'allow',
  },
  {
    name: 'ForAnyValue:StringEquals: no request value listed does not match',
    policy: allow({ 'ForAnyValue:StringEquals': { [AMR]: 'authenticated' } }),
    request: { amr: ['x', 'y'] },
    expect: 'implicit-deny',
  },
  {
    name: 'ForAnyValue:StringEquals: absent key does not match',
    policy: allow({ 'ForAnyValue:StringEquals': { [AMR]: 'authenticated' } }),
    expect: 'implicit-deny',
  },
  {
    name: 'ForAnyValue:StringLike: pattern against a set',
    policy: allow({ 'ForAnyValue:StringLike': { [AMR]: 'auth*' } }),
    request: { amr: ['x', 'authenticated'] },
    expect: 'allow',
  },
  {
    name: 'ForAnyValue:StringNotEquals: one value not listed matches',
    policy: allow({ 'ForAnyValue:StringNotEquals': { [AMR]: 'a' } }),
    request: { amr: ['a', 'b'] },
    expect: 'allow',
  },
  {
    name: 'ForAnyValue:StringNotEquals: all values listed does not match',
    policy: allow({ 'ForAnyValue:StringNotEquals': { [AMR]: 'a' } }),
    request: { amr: ['a'] },
    expect: 'implicit-deny',
  },
  {
    name: 'ForAnyValue on a single-valued key treats it as a set of one',
    policy: allow({ 'ForAnyValue:StringEquals': { [SUB]: SUBJECT } }),
    expect: 'allow',
  },
  {
    name: 'ForAnyValue:StringEqualsIfExists: absent key matches',
    policy: allow({ 'ForAnyValue:StringEqualsIfExists': { [AMR]: 'x' } }),
    expect: 'allow',
  },
  {
    name: 'ForAnyValue: empty set does not match',
    policy: allow({ 'ForAnyValue:StringEquals': { [AMR]: 'x' } }),
    request: { amr: [] },
    expect: 'implicit-deny',
  },
  {
    name: 'ForAnyValue:StringEqualsIgnoreCase: case-folded set member matches',
    policy: allow({
      'ForAnyValue:StringEqualsIgnoreCase': { [AMR]: 'AUTHENTICATED' },
    }),
    request: { amr: ['authenticated'] },
    expect: 'allow',
  },
];

const forAllValues: Row[] = [
  {
    name: 'ForAllValues:StringEquals: every value listed matches',
    policy: allow({ 'ForAllValues:StringEquals': { [AMR]: ['a', 'b', 'c'] } }),
    request: { amr: ['a', 'b'] },
    expect: 'allow',
  },
  {
    name: 'ForAllValues:StringEquals: one value not listed does not match',
    policy: allow({ 'ForAllValues:StringEquals': { [AMR]: ['a', 'b'] } }),
    request: { amr: ['a', 'z'] },
    expect: 'implicit-deny',
  },
  {
    name: 'ForAllValues:StringEquals: absent key MATCHES (empty set)',
    policy: allow({ 'ForAllValues:StringEquals': { [AMR]: 'a' } }),
    expect: 'allow',
  },
  {
    name: 'ForAllValues:StringLike: every value matches a pattern',
    policy: allow({ 'ForAllValues:StringLike': { [AMR]: ['a*', 'b*'] } }),
    request: { amr: ['ax', 'by'] },
    expect: 'allow',
  },
  {
    name: 'ForAllValues:StringNotEquals: no value listed matches',
    policy: allow({ 'ForAllValues:StringNotEquals': { [AMR]: 'a' } }),
    request: { amr: ['b', 'c'] },
    expect: 'allow',
  },
  {
    name: 'ForAllValues:StringNotEquals: a listed value does not match',
    policy: allow({ 'ForAllValues:StringNotEquals': { [AMR]: 'a' } }),
    request: { amr: ['a', 'c'] },
    expect: 'implicit-deny',
  },
  {
    name: 'ForAllValues:StringNotLike: absent key matches',
    policy: allow({ 'ForAllValues:StringNotLike': { [AMR]: 'a*' } }),
    expect: 'allow',
  },
  {
    name: 'ForAllValues on a single-valued key treats it as a set of one',
    policy: allow({ 'ForAllValues:StringEquals': { [SUB]: SUBJECT } }),
    expect: 'allow',
  },
  {
    name: 'ForAllValues on sub of another provider matches (absent): the S4 trap',
    policy: allow({
      'ForAllValues:StringEquals': {
        [`${OTHER_HOST_PATH}:sub`]: 'system:serviceaccount:x:y',
      },
    }),
    expect: 'allow',
  },
  {
    name: 'ForAllValues: empty set matches',
    policy: allow({ 'ForAllValues:StringEquals': { [AMR]: 'x' } }),
    request: { amr: [] },
    expect: 'allow',
  },
  {
    name: 'ForAllValues:StringEqualsIfExists: present value not listed does not match',
    policy: allow({ 'ForAllValues:StringEqualsIfExists': { [AMR]: 'x' } }),
    request: { amr: ['y'] },
    expect: 'implicit-deny',
  },
];

const combinations: Row[] = [
  {
    name: 'operators are AND-ed: StringEquals aud and StringLike sub both match',
    policy: allow({
      StringEquals: { [AUD]: AUDIENCE },
      StringLike: { [SUB]: 'system:serviceaccount:payments:*' },
    }),
    expect: 'allow',
  },
  {
    name: 'operators are AND-ed: StringLike sub fails',
    policy: allow({
      StringEquals: { [AUD]: AUDIENCE },
      StringLike: { [SUB]: 'system:serviceaccount:other:*' },
    }),
    expect: 'implicit-deny',
  },
  {
    name: 'operators are AND-ed: StringEquals and StringLike on the same key',
    policy: allow({
      StringEquals: { [SUB]: 'system:serviceaccount:payments:web' },
      StringLike: { [SUB]: 'system:serviceaccount:payments:*' },
    }),
    expect: 'implicit-deny',
  },
  {
    name: 'keys are AND-ed: one of two keys absent',
    policy: allow({ StringEquals: { [SUB]: SUBJECT, [AMR]: 'x' } }),
    expect: 'implicit-deny',
  },
  {
    name: 'audience list with several values, one matches',
    policy: allow({ StringEquals: { [AUD]: ['sts.amazonaws.com', 'other'] } }),
    request: { aud: 'other' },
    expect: 'allow',
  },
];

const keyResolution: Row[] = [
  {
    name: "another provider's key is absent for this token",
    policy: allow({ StringEquals: { [`${OTHER_HOST_PATH}:sub`]: SUBJECT } }),
    expect: 'implicit-deny',
  },
  {
    name: 'key written with https:// never matches (F4)',
    policy: allow({ StringEquals: { [`https://${HOST_PATH}:sub`]: SUBJECT } }),
    expect: 'implicit-deny',
  },
  {
    name: 'key written with the provider ARN never matches (F4)',
    policy: allow({ StringEquals: { [`${PROVIDER_ARN}:sub`]: SUBJECT } }),
    expect: 'implicit-deny',
  },
  {
    name: 'negated operator on an https:// key matches (absent)',
    policy: allow({
      StringNotEquals: { [`https://${HOST_PATH}:sub`]: SUBJECT },
    }),
    expect: 'allow',
  },
  {
    name: 'global key not in the context cannot be decided',
    policy: allow({ StringEquals: { 'aws:SourceIp': '10.0.0.1' } }),
    expect: 'indeterminate',
  },
  {
    name: 'IfExists on an unknown global key still cannot be decided',
    policy: allow({
      StringEqualsIfExists: { 'aws:RequestedRegion': 'eu-west-1' },
    }),
    expect: 'indeterminate',
  },
  {
    name: "own provider's unmodelled claim cannot be decided",
    policy: allow({ StringEquals: { [`${HOST_PATH}:oaud`]: 'x' } }),
    expect: 'indeterminate',
  },
  {
    name: 'global key supplied in the context is evaluated',
    policy: allow({ StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }),
    request: { extra: { 'aws:RequestedRegion': 'eu-west-1' } },
    expect: 'allow',
  },
  {
    name: 'an undecidable Deny next to a matching Allow is indeterminate',
    policy: policy(
      statement(),
      deny({ StringEquals: { 'aws:SourceIp': '10.0.0.1' } }),
    ),
    expect: 'indeterminate',
  },
  {
    name: 'an undecidable Deny without any Allow is still a deny',
    policy: policy(
      statement({ StringEquals: { [SUB]: 'system:serviceaccount:x:y' } }),
      deny({ StringEquals: { 'aws:SourceIp': '10.0.0.1' } }),
    ),
    expect: 'implicit-deny',
  },
  {
    name: 'a multi-valued key without a set operator cannot be decided',
    policy: allow({ StringEquals: { [AMR]: 'a' } }),
    request: { amr: ['a', 'b'] },
    expect: 'indeterminate',
  },
];

const otherFamilies: Row[] = [
  {
    name: 'NumericLessThan on a present key cannot be decided',
    policy: allow({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }),
    request: { extra: { 'aws:MultiFactorAuthAge': '10' } },
    expect: 'indeterminate',
  },
  {
    name: 'NumericEquals on an absent key does not match',
    policy: allow({ NumericEquals: { [AMR]: '1' } }),
    expect: 'implicit-deny',
  },
  {
    name: 'NumericNotEquals on an absent key matches',
    policy: allow({ NumericNotEquals: { [AMR]: '1' } }),
    expect: 'allow',
  },
  {
    name: 'DateGreaterThan on an absent key does not match',
    policy: allow({ DateGreaterThan: { [AMR]: '2020-01-01T00:00:00Z' } }),
    expect: 'implicit-deny',
  },
  {
    name: 'DateNotEquals on an absent key matches',
    policy: allow({ DateNotEquals: { [AMR]: '2020-01-01T00:00:00Z' } }),
    expect: 'allow',
  },
  {
    name: 'Bool on an absent key does not match',
    policy: allow({ Bool: { [AMR]: 'true' } }),
    expect: 'implicit-deny',
  },
  {
    name: 'ArnLike on an absent key does not match',
    policy: allow({ ArnLike: { [AMR]: 'arn:aws:iam::*:role/*' } }),
    expect: 'implicit-deny',
  },
  {
    name: 'ArnNotLike on an absent key matches',
    policy: allow({ ArnNotLike: { [AMR]: 'arn:aws:iam::*:role/*' } }),
    expect: 'allow',
  },
  {
    name: 'IpAddress on a present key cannot be decided',
    policy: allow({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }),
    request: { extra: { 'aws:SourceIp': '10.1.2.3' } },
    expect: 'indeterminate',
  },
  {
    name: 'NotIpAddress on an absent key matches',
    policy: allow({
      NotIpAddress: { [`${OTHER_HOST_PATH}:ip`]: '10.0.0.0/8' },
    }),
    expect: 'allow',
  },
  {
    name: 'BinaryEquals on an absent key does not match',
    policy: allow({ BinaryEquals: { [AMR]: 'QQ==' } }),
    expect: 'implicit-deny',
  },
  {
    name: 'ForAllValues:NumericEquals on an absent key matches',
    policy: allow({ 'ForAllValues:NumericEquals': { [AMR]: '1' } }),
    expect: 'allow',
  },
  {
    name: 'ForAnyValue:ArnLike on an absent key does not match',
    policy: allow({ 'ForAnyValue:ArnLike': { [AMR]: 'arn:*' } }),
    expect: 'implicit-deny',
  },
  {
    name: 'ForAnyValue:NumericEquals on a present key cannot be decided',
    policy: allow({ 'ForAnyValue:NumericEquals': { [AMR]: '1' } }),
    request: { amr: ['1'] },
    expect: 'indeterminate',
  },
  {
    name: 'BoolIfExists on an absent key matches',
    policy: allow({ BoolIfExists: { [AMR]: 'true' } }),
    expect: 'allow',
  },
];

const policyVariables: Row[] = [
  {
    name: 'a policy variable (2012-10-17) cannot be decided',
    policy: allow({
      StringEquals: { [SUB]: 'system:serviceaccount:${aws:username}:api' },
    }),
    expect: 'indeterminate',
  },
  {
    name: 'a policy variable in a set operator cannot be decided',
    policy: allow({ 'ForAnyValue:StringLike': { [SUB]: '${aws:username}*' } }),
    expect: 'indeterminate',
  },
  {
    name: 'under 2008-10-17 "${…}" is literal text',
    policy: {
      Version: '2008-10-17',
      Statement: [
        statement({
          StringEquals: { [SUB]: 'system:serviceaccount:${x}:api' },
        }),
      ],
    },
    request: { sub: 'system:serviceaccount:${x}:api' },
    expect: 'allow',
  },
];

const statements: Row[] = [
  {
    name: 'a matching Deny is an explicit deny',
    policy: policy(deny()),
    expect: 'explicit-deny',
  },
  {
    name: 'explicit deny wins over a matching Allow',
    policy: policy(
      statement({ StringEquals: { [SUB]: SUBJECT } }),
      deny({ StringEquals: { [SUB]: SUBJECT } }),
    ),
    expect: 'explicit-deny',
  },
  {
    name: 'a Deny that does not match leaves the Allow',
    policy: policy(
      statement(),
      deny({ StringEquals: { [SUB]: 'system:serviceaccount:x:y' } }),
    ),
    expect: 'allow',
  },
  {
    name: 'Principal "*" matches a federated caller',
    policy: policy(statement(undefined, { Principal: '*' })),
    expect: 'allow',
  },
  {
    name: 'Principal {"AWS":"*"} is equivalent to "*"',
    policy: policy(statement(undefined, { Principal: { AWS: '*' } })),
    expect: 'allow',
  },
  {
    name: 'Principal AWS account does not match a federated caller',
    policy: policy(
      statement(undefined, {
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      }),
    ),
    expect: 'implicit-deny',
  },
  {
    name: 'Principal Federated list containing the provider matches',
    policy: policy(
      statement(undefined, {
        Principal: { Federated: [OTHER_PROVIDER_ARN, PROVIDER_ARN] },
      }),
    ),
    expect: 'allow',
  },
  {
    name: 'Principal Federated naming another provider does not match',
    policy: policy(
      statement(undefined, { Principal: { Federated: OTHER_PROVIDER_ARN } }),
    ),
    expect: 'implicit-deny',
  },
  {
    name: 'Principal Federated "*" matches',
    policy: policy(statement(undefined, { Principal: { Federated: '*' } })),
    expect: 'allow',
  },
  {
    name: 'Principal Service does not match a federated caller',
    policy: policy(
      statement(undefined, {
        Principal: { Service: 'pods.eks.amazonaws.com' },
      }),
    ),
    expect: 'implicit-deny',
  },
  {
    name: 'Principal ARNs are compared exactly (case)',
    policy: policy(
      statement(undefined, {
        Principal: { Federated: PROVIDER_ARN.toLowerCase() },
      }),
    ),
    expect: 'implicit-deny',
  },
  {
    name: 'NotPrincipal with Allow: everyone but the listed (not us) is allowed',
    policy: policy(
      statement(undefined, {
        Principal: undefined,
        NotPrincipal: { Federated: OTHER_PROVIDER_ARN },
      }),
    ),
    expect: 'allow',
  },
  {
    name: 'NotPrincipal with Allow: listed caller is not allowed',
    policy: policy(
      statement(undefined, {
        Principal: undefined,
        NotPrincipal: { Federated: PROVIDER_ARN },
      }),
    ),
    expect: 'implicit-deny',
  },
  {
    name: 'NotPrincipal with Deny: the excepted caller is not denied',
    policy: policy(statement(), {
      ...deny(),
      Principal: undefined,
      NotPrincipal: { Federated: PROVIDER_ARN },
    }),
    expect: 'allow',
  },
  {
    name: 'NotPrincipal with Deny: others are denied',
    policy: policy(statement(), {
      ...deny(),
      Principal: undefined,
      NotPrincipal: { Federated: OTHER_PROVIDER_ARN },
    }),
    expect: 'explicit-deny',
  },
  {
    name: 'Action "sts:*" covers the call',
    policy: policy(statement(undefined, { Action: 'sts:*' })),
    expect: 'allow',
  },
  {
    name: 'Action "*" covers the call',
    policy: policy(statement(undefined, { Action: '*' })),
    expect: 'allow',
  },
  {
    name: 'Action sts:AssumeRole does not cover web identity',
    policy: policy(statement(undefined, { Action: 'sts:AssumeRole' })),
    expect: 'implicit-deny',
  },
  {
    name: 'Action "sts:AssumeRole*" covers it',
    policy: policy(statement(undefined, { Action: 'sts:AssumeRole*' })),
    expect: 'allow',
  },
  {
    name: 'Action names are case-insensitive',
    policy: policy(
      statement(undefined, { Action: 'STS:assumerolewithwebidentity' }),
    ),
    expect: 'allow',
  },
  {
    name: 'Action "?" wildcards',
    policy: policy(
      statement(undefined, { Action: 'sts:AssumeRoleWith???Identity' }),
    ),
    expect: 'allow',
  },
  {
    name: 'Action list with one covering entry',
    policy: policy(
      statement(undefined, {
        Action: ['sts:TagSession', 'sts:AssumeRoleWithWebIdentity'],
      }),
    ),
    expect: 'allow',
  },
  {
    name: 'NotAction excluding another action covers the call',
    policy: policy(
      statement(undefined, { Action: undefined, NotAction: 'sts:AssumeRole' }),
    ),
    expect: 'allow',
  },
  {
    name: 'NotAction "sts:*" excludes the call',
    policy: policy(
      statement(undefined, { Action: undefined, NotAction: 'sts:*' }),
    ),
    expect: 'implicit-deny',
  },
  {
    name: 'the request action can be another one',
    policy: policy(statement()),
    request: { action: 'sts:TagSession' },
    expect: 'implicit-deny',
  },
  {
    name: 'Statement as a single object',
    policy: { Version: '2012-10-17', Statement: statement() },
    expect: 'allow',
  },
  {
    name: 'the second of two Allow statements applies',
    policy: policy(
      statement(undefined, { Principal: { Federated: OTHER_PROVIDER_ARN } }),
      statement({ StringEquals: { [SUB]: SUBJECT } }),
    ),
    expect: 'allow',
  },
  {
    name: 'a request from another provider is not allowed by our statement',
    policy: policy(statement()),
    request: { principal: OTHER_PROVIDER_ARN },
    expect: 'implicit-deny',
  },
  {
    name: 'a policy without Version is evaluated (2008-10-17 semantics)',
    policy: { Statement: [statement({ StringEquals: { [SUB]: SUBJECT } })] },
    expect: 'allow',
  },
  {
    name: 'policy JSON text is accepted',
    policy: JSON.stringify(
      policy(statement({ StringEquals: { [SUB]: SUBJECT } })),
    ),
    expect: 'allow',
  },
];

const malformed: Row[] = [
  {
    name: 'not JSON',
    policy: '{"Version": "2012-10-17",',
    expect: 'malformed',
  },
  { name: 'a JSON array', policy: [statement()], expect: 'malformed' },
  {
    name: 'Effect in the wrong case',
    policy: policy({ ...statement(), Effect: 'allow' as any }),
    expect: 'malformed',
  },
  {
    name: 'missing Principal',
    policy: policy(statement(undefined, { Principal: undefined })),
    expect: 'malformed',
  },
  {
    name: 'both Principal and NotPrincipal',
    policy: policy(statement(undefined, { NotPrincipal: { AWS: '*' } })),
    expect: 'malformed',
  },
  {
    name: 'Resource in a trust policy',
    policy: policy(statement(undefined, { Resource: '*' })),
    expect: 'malformed',
  },
  {
    name: 'unknown operator',
    policy: allow({ StringEqual: { [SUB]: SUBJECT } }),
    expect: 'malformed',
  },
  {
    name: 'NullIfExists does not exist',
    policy: allow({ NullIfExists: { [SUB]: 'false' } }),
    expect: 'malformed',
  },
  {
    name: 'set operator on Null',
    policy: allow({ 'ForAnyValue:Null': { [SUB]: 'false' } }),
    expect: 'malformed',
  },
  {
    name: 'Null with a value other than true/false',
    policy: allow({ Null: { [SUB]: 'yes' } }),
    expect: 'malformed',
  },
  {
    name: 'action without a service prefix',
    policy: policy(
      statement(undefined, { Action: 'AssumeRoleWithWebIdentity' }),
    ),
    expect: 'malformed',
  },
  {
    name: 'unknown Version',
    policy: { Version: '2012-10-18', Statement: [statement()] },
    expect: 'malformed',
  },
  {
    name: 'no statements',
    policy: { Version: '2012-10-17', Statement: [] },
    expect: 'malformed',
  },
  {
    name: 'condition key without a prefix',
    policy: allow({ StringEquals: { sub: SUBJECT } }),
    expect: 'malformed',
  },
  {
    name: 'Principal as a bare ARN string',
    policy: policy(statement(undefined, { Principal: PROVIDER_ARN as any })),
    expect: 'malformed',
  },
  {
    name: 'unknown principal type',
    policy: policy(
      statement(undefined, { Principal: { Federation: PROVIDER_ARN } as any }),
    ),
    expect: 'malformed',
  },
  {
    name: 'empty condition value list',
    policy: allow({ StringEquals: { [SUB]: [] } }),
    expect: 'malformed',
  },
  {
    name: 'both Action and NotAction',
    policy: policy(statement(undefined, { NotAction: 'sts:TagSession' })),
    expect: 'malformed',
  },
  {
    name: 'duplicate Sid',
    policy: policy(
      statement(undefined, { Sid: 'A' }),
      statement(undefined, { Sid: 'A' }),
    ),
    expect: 'malformed',
  },
  {
    name: 'Sid with a hyphen',
    policy: policy(statement(undefined, { Sid: 'cluster-a' })),
    expect: 'malformed',
  },
  {
    name: 'unknown statement element',
    policy: policy({ ...statement(), Effects: 'Allow' } as any),
    expect: 'malformed',
  },
  {
    name: 'object as a condition value',
    policy: allow({ StringEquals: { [SUB]: { a: 1 } } }),
    expect: 'malformed',
  },
  {
    name: 'character outside U+0020–U+00FF',
    policy: allow({
      StringEquals: { [SUB]: 'system:serviceaccount:payments:api😀' },
    }),
    expect: 'malformed',
  },
];

const table: Array<[string, Row[]]> = [
  ['String equality', stringEquals],
  ['Negated string equality', stringNotEquals],
  ['Case-insensitive string operators', ignoreCase],
  ['StringLike and StringNotLike wildcards', stringLike],
  ['...IfExists', ifExists],
  ['Null', nullCheck],
  ['ForAnyValue', forAnyValue],
  ['ForAllValues', forAllValues],
  ['Several operators, keys and values', combinations],
  ['Which keys a web-identity request has', keyResolution],
  ['Operator families the evaluator does not compare', otherFamilies],
  ['Policy variables', policyVariables],
  ['Effect, Principal, NotPrincipal, Action, NotAction', statements],
  ['Malformed policies are reported, not evaluated', malformed],
];

describe('evaluateTrustPolicy follows IAM for sts:AssumeRoleWithWebIdentity', () => {
  it('has at least 80 documented cases', () => {
    expect(
      table.reduce((n, [, rows]) => n + rows.length, 0),
    ).toBeGreaterThanOrEqual(80);
  });

  describe.each(table)('%s', (_group, rows) => {
    it.each(rows.map(r => [r.name, r] as const))('%s', (_name, row) => {
      const result = evaluateTrustPolicy(
        row.policy as object,
        request(row.request),
      );
      expect(result.decision).toBe(row.expect);
      expect(result.allowed).toBe(row.expect === 'allow');
      // A malformed policy has problems and no statement results; anything else the reverse.
      expect({
        problems: result.problems.length > 0,
        statements: result.statements.length > 0,
      }).toEqual({
        problems: row.expect === 'malformed',
        statements: row.expect !== 'malformed',
      });
    });
  });
});

describe('evaluateTrustPolicy explains its decision', () => {
  it('explains each statement and each condition', () => {
    const result = evaluateTrustPolicy(
      policy(
        statement(
          { StringEquals: { [SUB]: SUBJECT, [AUD]: 'sts.amazon.com' } },
          { Sid: 'Payments' },
        ),
      ),
      request(),
    );
    expect(result.decision).toBe('implicit-deny');
    expect(result.explanation).toMatch(/no Allow statement applies/);
    const [s] = result.statements;
    expect(s).toMatchObject({
      index: 0,
      sid: 'Payments',
      effect: 'Allow',
      principal: 'match',
      action: 'match',
      result: 'no-match',
    });
    expect(s.explanation).toContain(`StringEquals "${AUD}" does not match`);
    expect(s.conditions).toEqual([
      expect.objectContaining({
        key: SUB,
        result: 'match',
        requestValues: [SUBJECT],
      }),
      expect.objectContaining({
        key: AUD,
        result: 'no-match',
        policyValues: ['sts.amazon.com'],
      }),
    ]);
    expect(s.conditions[1].explanation).toContain(
      '"sts.amazonaws.com" must match one of ["sts.amazon.com"]: it does not',
    );
  });

  it('says why a principal or an action does not match', () => {
    const other = evaluateTrustPolicy(
      policy(
        statement(undefined, { Principal: { Federated: OTHER_PROVIDER_ARN } }),
      ),
      request(),
    );
    expect(other.statements[0].explanation).toContain(
      `does not include ${PROVIDER_ARN}`,
    );
    const excluded = evaluateTrustPolicy(
      policy(
        statement(undefined, {
          Principal: undefined,
          NotPrincipal: { Federated: PROVIDER_ARN },
        }),
      ),
      request(),
    );
    expect(excluded.statements[0].explanation).toContain(
      'NotPrincipal excludes',
    );
    const action = evaluateTrustPolicy(
      policy(statement(undefined, { Action: 'sts:AssumeRole' })),
      request(),
    );
    expect(action.statements[0].explanation).toContain(
      'does not cover sts:AssumeRoleWithWebIdentity',
    );
    const notAction = evaluateTrustPolicy(
      policy(statement(undefined, { Action: undefined, NotAction: 'sts:*' })),
      request(),
    );
    expect(notAction.statements[0].explanation).toContain('NotAction');
  });

  it('names the deciding statements', () => {
    expect(
      evaluateTrustPolicy(policy(statement(), deny()), request()).explanation,
    ).toContain('Statement[1] explicitly denies');
    expect(
      evaluateTrustPolicy(policy(statement()), request()).explanation,
    ).toBe('Allowed by Statement[0]; no Deny statement applies.');
    const maybe = evaluateTrustPolicy(
      allow({ StringEquals: { 'aws:SourceIp': '1.2.3.4' } }),
      request(),
    );
    expect(maybe.explanation).toContain('only Statement[0] could allow');
    expect(maybe.statements[0].explanation).toContain(
      'cannot be decided statically',
    );
    expect(maybe.statements[0].conditions[0].requestValues).toBe('unknown');
  });

  it('reports why an absent key matched or not', () => {
    const result = evaluateTrustPolicy(
      allow({ 'ForAllValues:StringEquals': { [AMR]: 'x' } }),
      request(),
    );
    expect(result.statements[0].conditions[0]).toMatchObject({
      requestValues: 'absent',
      result: 'match',
    });
    expect(result.statements[0].conditions[0].explanation).toContain(
      'ForAllValues is true for an empty set',
    );
  });

  it('lists every grammar problem of a malformed policy', () => {
    const result = evaluateTrustPolicy(
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Permit', Action: 'assume' }],
      },
      request(),
    );
    expect(result.decision).toBe('malformed');
    expect(result.explanation).toMatch(/3 problems/);
    expect(result.problems.map(p => p.field)).toEqual([
      'Statement[0].Effect',
      'Statement[0]',
      'Statement[0].Action',
    ]);
    expect(evaluateTrustPolicy('[', request()).explanation).toMatch(
      /1 problem\)/,
    );
  });
});
