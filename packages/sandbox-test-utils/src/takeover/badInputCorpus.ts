/**
 * Malformed and hostile inputs, each with the field its refusal must name. The takeover suite
 * sends the template cases as a task of the "Request AWS access (no form schema)" template
 * (fixtures/takeover/bare-template.yaml), so nothing but the actions stands between them and
 * AWS, and the HTTP cases to /api/irsa; each must be refused before any AWS or Kubernetes
 * call, in words that name the field and without echoing a huge value back.
 */

const HUGE = 'x'.repeat(100_000);
const CYRILLIC_O = '\u043e';
const GREEK_O = '\u03bf';

/**
 * A template run whose `values` replace (or, for `undefined`, drop) the good request's.
 * `by: 'scaffolder'`: a wrong type or a missing required input, which Backstage's scaffolder
 * refuses against the action's schema before the action runs; its task log line carries the
 * scaffolder's own stack (docs/reliability.md).
 */
export interface TaskCase {
  name: string;
  field: string;
  values: Record<string, unknown>;
  by?: 'scaffolder';
}

/** An HTTP request to the IRSA API. */
export interface HttpCase {
  name: string;
  field: string;
  method: 'GET' | 'POST';
  path: string;
  /** A JSON value, or a raw string sent as it is. */
  body?: unknown;
  raw?: string;
  status: number;
}

export const TASK_CASES: TaskCase[] = [
  // roleName: IAM's 64 characters with the prefix, its character set, types.
  {
    name: 'role name over 64 with its prefix',
    field: 'roleName',
    values: { roleName: 'r'.repeat(60) },
  },
  {
    name: 'role name of 100 kB',
    field: 'roleName',
    values: { roleName: HUGE },
  },
  {
    name: 'role name with a path',
    field: 'roleName',
    values: { roleName: 'x/../../admin' },
  },
  {
    name: 'role name with a newline',
    field: 'roleName',
    values: { roleName: 'api\nInjected: yes' },
  },
  {
    name: 'role name with a Cyrillic look-alike',
    field: 'roleName',
    values: { roleName: `r${CYRILLIC_O}le` },
  },
  { name: 'empty role name', field: 'roleName', values: { roleName: '' } },
  {
    name: 'role name with a space',
    field: 'roleName',
    values: { roleName: 'has space' },
  },
  {
    name: 'role name with a wildcard',
    field: 'roleName',
    values: { roleName: 'role*' },
  },
  {
    name: 'role name as a number',
    by: 'scaffolder',
    field: 'roleName',
    values: { roleName: 123 },
  },
  {
    name: 'role name as a list',
    by: 'scaffolder',
    field: 'roleName',
    values: { roleName: ['a'] },
  },
  // namespace: DNS-1123 labels, denied namespaces.
  {
    name: 'namespace in capitals',
    field: 'namespace',
    values: { namespace: 'Takeover-Mine' },
  },
  {
    name: 'namespace of 64 characters',
    field: 'namespace',
    values: { namespace: 'n'.repeat(64) },
  },
  {
    name: 'namespace with a path',
    field: 'namespace',
    values: { namespace: '../kube-system' },
  },
  {
    name: 'namespace with a newline',
    field: 'namespace',
    values: { namespace: 'takeover-mine\n' },
  },
  {
    name: 'denied namespace',
    field: 'namespace',
    values: { namespace: 'kube-system' },
  },
  {
    name: 'namespace with a Cyrillic look-alike',
    field: 'namespace',
    values: { namespace: `takeover-mine-${CYRILLIC_O}` },
  },
  {
    name: 'namespace with a leading hyphen',
    field: 'namespace',
    values: { namespace: '-lead' },
  },
  {
    name: 'namespace with dots',
    field: 'namespace',
    values: { namespace: 'ns.with.dots' },
  },
  {
    name: 'namespace of 100 kB',
    field: 'namespace',
    values: { namespace: HUGE },
  },
  {
    name: 'namespace as an object',
    by: 'scaffolder',
    field: 'namespace',
    values: { namespace: { name: 'x' } },
  },
  // serviceAccount: DNS-1123 subdomains.
  {
    name: 'ServiceAccount name of 254 characters',
    field: 'serviceAccount',
    values: { serviceAccount: 's'.repeat(254) },
  },
  {
    name: 'ServiceAccount name with a path',
    field: 'serviceAccount',
    values: { serviceAccount: 'sa/../../x' },
  },
  {
    name: 'ServiceAccount name with capitals and underscore',
    field: 'serviceAccount',
    values: { serviceAccount: 'SA_Upper' },
  },
  {
    name: 'ServiceAccount name with CR LF',
    field: 'serviceAccount',
    values: { serviceAccount: 'sa\r\nX' },
  },
  {
    name: 'ServiceAccount name starting with a dot',
    field: 'serviceAccount',
    values: { serviceAccount: '.hidden' },
  },
  {
    name: 'ServiceAccount name with a Cyrillic look-alike',
    field: 'serviceAccount',
    values: { serviceAccount: `s${CYRILLIC_O}` },
  },
  {
    name: 'ServiceAccount name of 100 kB',
    field: 'serviceAccount',
    values: { serviceAccount: HUGE },
  },
  {
    name: 'empty ServiceAccount name',
    field: 'serviceAccount',
    values: { serviceAccount: '' },
  },
  {
    name: 'ServiceAccount name as null',
    by: 'scaffolder',
    field: 'serviceAccount',
    values: { serviceAccount: null },
  },
  // cluster: only configured ones.
  {
    name: 'unknown cluster',
    field: 'cluster',
    values: { cluster: 'production' },
  },
  {
    name: 'cluster with a path',
    field: 'cluster',
    values: { cluster: '../sandbox' },
  },
  { name: 'empty cluster', field: 'cluster', values: { cluster: '' } },
  { name: 'cluster of 100 kB', field: 'cluster', values: { cluster: HUGE } },
  {
    name: 'cluster as a number',
    by: 'scaffolder',
    field: 'cluster',
    values: { cluster: 7 },
  },
  // accountId: 12 ASCII digits of an account the cluster may use.
  {
    name: 'account id of 5 digits',
    field: 'accountId',
    values: { accountId: '12345' },
  },
  {
    name: 'account id of letters',
    field: 'accountId',
    values: { accountId: 'abcdefghijkl' },
  },
  {
    name: 'account id of 13 digits',
    field: 'accountId',
    values: { accountId: '1234567890123' },
  },
  {
    name: 'account id with a trailing space',
    field: 'accountId',
    values: { accountId: '000000000000 ' },
  },
  {
    name: 'account id of full-width digits',
    field: 'accountId',
    values: { accountId: '\uff11'.repeat(12) },
  },
  // policyArns: managed policy ARNs on the allow-list, in the cluster's partition.
  {
    name: 'policy that is not an ARN',
    field: 'policyArns',
    values: { policyArns: ['not-an-arn'] },
  },
  {
    name: 'policy not on the allow-list',
    field: 'policyArns',
    values: { policyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
  },
  {
    name: 'policy of another partition',
    field: 'policyArns',
    values: {
      policyArns: ['arn:aws-cn:iam::aws:policy/AmazonS3ReadOnlyAccess'],
    },
  },
  {
    name: 'policy ARN of an S3 bucket',
    field: 'policyArns',
    values: { policyArns: ['arn:aws:s3:::my-bucket'] },
  },
  {
    name: 'policy with a newline',
    field: 'policyArns',
    values: {
      policyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\n'],
    },
  },
  {
    name: 'policy with wildcards',
    field: 'policyArns',
    values: { policyArns: ['arn:aws:iam::*:policy/*'] },
  },
  {
    name: 'policies as one string',
    by: 'scaffolder',
    field: 'policyArns',
    values: { policyArns: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' },
  },
  {
    name: '500 policies',
    field: 'policyArns',
    values: {
      policyArns: Array.from(
        { length: 500 },
        (_, i) => `arn:aws:iam::111111111111:policy/p-${i}`,
      ),
    },
  },
  // entityRef: the catalog's naming rules, the user's own entities.
  {
    name: 'entity of another owner',
    field: 'entityRef',
    values: { entity: 'component:default/takeover-victim' },
  },
  {
    name: 'entity ref with a newline',
    field: 'entityRef',
    values: { entity: 'component:default/x\ny' },
  },
  {
    name: 'entity ref of 100 kB',
    field: 'entityRef',
    values: { entity: `component:default/${HUGE}` },
  },
  {
    name: 'entity kind with a Greek look-alike',
    field: 'entityRef',
    values: { entity: `c${GREEK_O}mponent:default/takeover-mine` },
  },
  {
    name: 'entity ref as a number',
    by: 'scaffolder',
    field: 'entityRef',
    values: { entity: 42 },
  },
  {
    name: 'entity ref with a path',
    field: 'entityRef',
    values: { entity: 'component:default/../../group/x' },
  },
  // Missing fields.
  {
    name: 'no ServiceAccount',
    field: 'serviceAccount',
    values: { serviceAccount: undefined },
  },
  {
    name: 'no namespace',
    field: 'namespace',
    values: { namespace: undefined },
  },
  { name: 'no role name', field: 'roleName', values: { roleName: undefined } },
  {
    name: 'no cluster',
    by: 'scaffolder',
    field: 'cluster',
    values: { cluster: undefined },
  },
  {
    name: 'no entity',
    by: 'scaffolder',
    field: 'entityRef',
    values: { entity: undefined },
  },
];

const verify = (body: Record<string, unknown>) => ({
  entityRef: 'component:default/takeover-mine',
  cluster: 'sandbox',
  namespace: 'takeover-mine',
  serviceAccount: 'api',
  ...body,
});

export const HTTP_CASES: HttpCase[] = [
  {
    name: 'status without entityRef',
    field: 'entityRef',
    method: 'GET',
    path: '/api/irsa/status',
    status: 400,
  },
  {
    name: 'status with a 10 kB entityRef',
    field: 'entityRef',
    method: 'GET',
    path: `/api/irsa/status?entityRef=component:default/${'x'.repeat(10_000)}`,
    status: 400,
  },
  {
    name: 'status with a newline in entityRef',
    field: 'entityRef',
    method: 'GET',
    path: '/api/irsa/status?entityRef=component:default/a%0Ab',
    status: 400,
  },
  {
    name: 'status with entityRef twice',
    field: 'entityRef',
    method: 'GET',
    path: '/api/irsa/status?entityRef=component:default/takeover-mine&entityRef=component:default/takeover-victim',
    status: 400,
  },
  {
    name: 'status with an unknown parameter',
    field: 'roleArn',
    method: 'GET',
    path: '/api/irsa/status?entityRef=component:default/takeover-mine&roleArn=x',
    status: 400,
  },
  {
    name: 'status with a path in entityRef',
    field: 'entityRef',
    method: 'GET',
    path: '/api/irsa/status?entityRef=component:default/../../group/x',
    status: 400,
  },
  {
    name: 'verify without namespace',
    field: 'namespace',
    method: 'POST',
    path: '/api/irsa/verify',
    body: verify({ namespace: undefined }),
    status: 400,
  },
  {
    name: 'verify with a bad namespace',
    field: 'namespace',
    method: 'POST',
    path: '/api/irsa/verify',
    body: verify({ namespace: 'Kube_System' }),
    status: 400,
  },
  {
    name: 'verify with a path in the ServiceAccount',
    field: 'serviceAccount',
    method: 'POST',
    path: '/api/irsa/verify',
    body: verify({ serviceAccount: 'a/../b' }),
    status: 400,
  },
  {
    name: 'verify with a role ARN of its own',
    field: 'roleArn',
    method: 'POST',
    path: '/api/irsa/verify',
    body: verify({ roleArn: 'arn:aws:iam::111111111111:role/admin' }),
    status: 400,
  },
  {
    name: 'verify with a number for cluster',
    field: 'cluster',
    method: 'POST',
    path: '/api/irsa/verify',
    body: verify({ cluster: 7 }),
    status: 400,
  },
  {
    name: 'verify with a 100 kB ServiceAccount',
    field: 'body',
    method: 'POST',
    path: '/api/irsa/verify',
    body: verify({ serviceAccount: HUGE }),
    status: 413,
  },
  {
    name: 'verify with a list as body',
    field: 'body',
    method: 'POST',
    path: '/api/irsa/verify',
    body: [verify({})],
    status: 400,
  },
  {
    name: 'verify with malformed JSON',
    field: 'body',
    method: 'POST',
    path: '/api/irsa/verify',
    raw: '{"entityRef": ',
    status: 400,
  },
  {
    name: 'verify with a 2 MB body',
    field: 'body',
    method: 'POST',
    path: '/api/irsa/verify',
    body: verify({ padding: 'p'.repeat(2_000_000) }),
    status: 413,
  },
];
