import fc from 'fast-check';
import { AWS_PARTITIONS } from '../partition';
import {
  buildTrustPolicy,
  buildTrustStatement,
  TrustSubject,
} from './buildTrustPolicy';
import { canonicalPolicyJson } from './canonicalPolicy';
import {
  removeClusterStatement,
  upsertClusterStatement,
} from './clusterStatements';
import { evaluateTrustPolicy } from './evaluateTrustPolicy';
import { serviceAccountRequestContext } from './requestContext';
import { PolicyDocument, PolicyStatement } from './types';

// Generators stay inside what Kubernetes and EKS produce, so every generated input is one
// the product can meet.
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const region = fc.constantFrom(
  'eu-west-1',
  'us-east-1',
  'ap-southeast-2',
  'cn-north-1',
  'us-gov-west-1',
);
const issuerId = fc.stringMatching(/^[0-9A-F]{32}$/);
const account = fc.stringMatching(/^[0-9]{12}$/);
const partition = fc.constantFrom(...AWS_PARTITIONS);
const providerArn = fc
  .tuple(partition, account, region, issuerId)
  .map(
    ([p, a, r, id]) =>
      `arn:${p}:iam::${a}:oidc-provider/oidc.eks.${r}.amazonaws.com/id/${id}`,
  );
const audience = fc.oneof(
  fc.constant('sts.amazonaws.com'),
  fc.stringMatching(/^[a-z0-9][a-z0-9.:-]{0,20}$/),
);
const exactSubject = fc.record({ namespace: label, name: label });
const exactSubjects = fc.uniqueArray(exactSubject, {
  minLength: 1,
  maxLength: 5,
  selector: s => `${s.namespace}:${s.name}`,
});

const isAllowed = (
  policy: PolicyDocument,
  arn: string,
  namespace: string,
  name: string,
  aud: string,
) =>
  evaluateTrustPolicy(
    policy,
    serviceAccountRequestContext({
      providerArn: arn,
      namespace,
      serviceAccount: name,
      audience: aud,
    }),
  ).allowed;

function build(
  arn: string,
  subjects: TrustSubject[],
  aud: string,
  allowPatterns = false,
): PolicyDocument {
  const result = buildTrustPolicy({
    providerArn: arn,
    subjects,
    audience: aud,
    allowPatterns,
  });
  if (!result.ok) {
    throw new Error(JSON.stringify(result.problems));
  }
  return result.value;
}

describe('the builder admits exactly its subjects, audience and provider', () => {
  it('allows every subject it was built for', () => {
    expect(() =>
      fc.assert(
        fc.property(
          providerArn,
          exactSubjects,
          audience,
          (arn, subjects, aud) => {
            const policy = build(arn, subjects, aud);
            return subjects.every(s =>
              isAllowed(policy, arn, s.namespace, s.name, aud),
            );
          },
        ),
      ),
    ).not.toThrow();
  });

  it('denies any other ServiceAccount', () => {
    expect(() =>
      fc.assert(
        fc.property(
          providerArn,
          exactSubjects,
          audience,
          exactSubject,
          (arn, subjects, aud, other) => {
            fc.pre(
              !subjects.some(
                s => s.namespace === other.namespace && s.name === other.name,
              ),
            );
            return !isAllowed(
              build(arn, subjects, aud),
              arn,
              other.namespace,
              other.name,
              aud,
            );
          },
        ),
      ),
    ).not.toThrow();
  });

  it('denies any other audience', () => {
    expect(() =>
      fc.assert(
        fc.property(
          providerArn,
          exactSubjects,
          audience,
          audience,
          (arn, subjects, aud, otherAud) => {
            fc.pre(aud !== otherAud);
            const s = subjects[0];
            return !isAllowed(
              build(arn, subjects, aud),
              arn,
              s.namespace,
              s.name,
              otherAud,
            );
          },
        ),
      ),
    ).not.toThrow();
  });

  it('denies any other provider', () => {
    expect(() =>
      fc.assert(
        fc.property(
          providerArn,
          providerArn,
          exactSubjects,
          audience,
          (arn, otherArn, subjects, aud) => {
            fc.pre(arn !== otherArn);
            const s = subjects[0];
            return !isAllowed(
              build(arn, subjects, aud),
              otherArn,
              s.namespace,
              s.name,
              aud,
            );
          },
        ),
      ),
    ).not.toThrow();
  });

  it('with a name pattern, admits exactly the names with its literal prefix in its namespace', () => {
    expect(() =>
      fc.assert(
        fc.property(
          providerArn,
          label,
          label,
          fc.stringMatching(/^[a-z0-9-]{0,8}$/),
          exactSubject,
          (arn, namespace, prefix, suffix, other) => {
            const policy = build(
              arn,
              [{ namespace, namePattern: `${prefix}*` }],
              'sts.amazonaws.com',
              true,
            );
            const admitted = isAllowed(
              policy,
              arn,
              namespace,
              `${prefix}${suffix}`,
              'sts.amazonaws.com',
            );
            const otherExpected =
              other.namespace === namespace && other.name.startsWith(prefix);
            const otherAdmitted = isAllowed(
              policy,
              arn,
              other.namespace,
              other.name,
              'sts.amazonaws.com',
            );
            return admitted && otherAdmitted === otherExpected;
          },
        ),
      ),
    ).not.toThrow();
  });
});

describe('the builder output is canonical', () => {
  it('gives the same bytes for the same subjects in any order, with duplicates', () => {
    expect(() =>
      fc.assert(
        fc.property(
          providerArn,
          exactSubjects,
          audience,
          fc.integer({ min: 0, max: 1000 }),
          (arn, subjects, aud, seed) => {
            const shuffled = [...subjects, subjects[0]].sort(
              (a, b) =>
                ((a.name.length * 31 + seed) % 7) -
                ((b.name.length * 17 + seed) % 5),
            );
            const a = JSON.stringify(build(arn, subjects, aud));
            const b = JSON.stringify(build(arn, shuffled, aud));
            return a === b;
          },
        ),
      ),
    ).not.toThrow();
  });

  it('is a fixed point of canonicalisation', () => {
    expect(() =>
      fc.assert(
        fc.property(
          providerArn,
          exactSubjects,
          audience,
          (arn, subjects, aud) => {
            const policy = build(arn, subjects, aud);
            const text = canonicalPolicyJson(policy);
            return (
              JSON.stringify(policy, null, 2) === text &&
              canonicalPolicyJson(JSON.parse(text)) === text
            );
          },
        ),
      ),
    ).not.toThrow();
  });
});

// Existing trust policies: statements for other clusters, hand-written Deny statements and
// other principals, in any order and either Statement shape.
const foreignStatement: fc.Arbitrary<PolicyStatement> = fc.oneof(
  fc.tuple(providerArn, exactSubjects).map(([arn, subjects]) => {
    const built = buildTrustStatement({ providerArn: arn, subjects });
    if (!built.ok) throw new Error('unexpected');
    return built.value;
  }),
  fc.record<PolicyStatement>({
    Effect: fc.constant<'Deny'>('Deny'),
    Principal: fc.constant({ AWS: '*' }),
    Action: fc.constant('sts:AssumeRole'),
  }),
  fc.record<PolicyStatement>({
    Sid: fc.stringMatching(/^[A-Za-z0-9]{1,8}$/),
    Effect: fc.constant<'Allow'>('Allow'),
    Principal: fc.record({ Service: fc.constant('ec2.amazonaws.com') }),
    Action: fc.constant(['sts:AssumeRole', 'sts:TagSession']),
  }),
);
const existingPolicy = fc.record({
  Version: fc.constant('2012-10-17'),
  Statement: fc.array(foreignStatement, { minLength: 1, maxLength: 4 }),
});

describe('adding and removing a cluster statement', () => {
  it('add then remove returns the original policy', () => {
    expect(() =>
      fc.assert(
        fc.property(
          existingPolicy,
          providerArn,
          exactSubjects,
          (original, arn, subjects) => {
            const json = JSON.stringify(original);
            fc.pre(!json.includes(arn));
            const statement = buildTrustStatement({
              providerArn: arn,
              subjects,
            });
            if (!statement.ok) return false;
            const added = upsertClusterStatement(original, statement.value);
            const removed = removeClusterStatement(added, arn);
            return (
              JSON.stringify(removed) === json &&
              JSON.stringify(original) === json
            );
          },
        ),
      ),
    ).not.toThrow();
  });

  it('add touches no other statement, and adding twice equals adding once', () => {
    expect(() =>
      fc.assert(
        fc.property(
          existingPolicy,
          providerArn,
          exactSubjects,
          exactSubjects,
          (original, arn, first, second) => {
            fc.pre(!JSON.stringify(original).includes(arn));
            const s1 = buildTrustStatement({
              providerArn: arn,
              subjects: first,
            });
            const s2 = buildTrustStatement({
              providerArn: arn,
              subjects: second,
            });
            if (!s1.ok || !s2.ok) return false;
            const once = upsertClusterStatement(original, s2.value);
            const twice = upsertClusterStatement(
              upsertClusterStatement(original, s1.value),
              s2.value,
            );
            const others = (p: PolicyDocument) =>
              (p.Statement as PolicyStatement[]).filter(
                s => !JSON.stringify(s).includes(arn),
              );
            return (
              JSON.stringify(once) === JSON.stringify(twice) &&
              JSON.stringify(others(once)) ===
                JSON.stringify(original.Statement)
            );
          },
        ),
      ),
    ).not.toThrow();
  });

  it('canonical JSON does not depend on how the existing policy was spelled', () => {
    expect(() =>
      fc.assert(
        fc.property(existingPolicy, original => {
          const reordered = {
            Statement: (original.Statement as PolicyStatement[]).map(s =>
              Object.fromEntries(Object.entries(s).reverse()),
            ) as unknown as PolicyStatement[],
            Version: original.Version,
          };
          return (
            canonicalPolicyJson(original) === canonicalPolicyJson(reordered)
          );
        }),
      ),
    ).not.toThrow();
  });
});
