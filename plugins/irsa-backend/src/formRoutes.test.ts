import {
  ClusterRegistry,
  createIrsaService,
  FormService,
  irsaServiceRef,
  type KubernetesGateway,
  RoleService,
} from '@backstage-irsa/plugin-irsa-node';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { irsaPlugin } from './plugin';

// The template form's routes with the real plugin and the real checks; Kubernetes is a fake
// that lists namespaces, and AWS a factory that fails any call: the form makes none.

const S3_READ = 'arn:aws-cn:iam::aws:policy/AmazonS3ReadOnlyAccess';

const config = {
  irsa: {
    clusters: [
      {
        name: 'prod-cn',
        accountId: '111111111111',
        region: 'cn-north-1',
        eksClusterName: 'prod',
        allowedAccountIds: ['222222222222'],
        kubernetes: {
          url: 'https://k8s.example.com',
          serviceAccountToken: 'do-not-leak',
        },
      },
    ],
    presets: [
      {
        name: 's3-read-bucket',
        title: 'Read one S3 bucket',
        description: 'GetObject and ListBucket on the bucket you name.',
        inlinePolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['s3:GetObject'],
              Resource: ['arn:${partition}:s3:::${bucket}/*'],
            },
          ],
        },
        parameters: [
          {
            name: 'bucket',
            title: 'Bucket name',
            description: 'The bucket the service reads.',
            pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
          },
        ],
      },
    ],
    guardrails: {
      roleNamePrefix: 'irsa-',
      rolePath: '/irsa/',
      deniedNamespaces: ['kube-*'],
      allowedPolicyArns: [
        S3_READ,
        'arn:aws-cn:iam::111111111111:policy/team-*',
      ],
    },
  },
};

const payments = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-namespace': 'payments' },
  },
  spec: { owner: 'team-payments' },
};
const entityRef = 'component:default/payments-api';

function fakeKubernetes(): jest.Mocked<
  Pick<KubernetesGateway, 'listNamespaces'>
> {
  return {
    listNamespaces: jest.fn(async () => [
      'payments',
      'kube-system',
      'default',
      'orders',
    ]),
  };
}

async function start(
  extra: any[] = [],
  k8s = fakeKubernetes(),
): Promise<{ server: any; k8s: ReturnType<typeof fakeKubernetes> }> {
  const registry = ClusterRegistry.fromConfig(new ConfigReader(config));
  const noAws = {
    iam: async () => {
      throw new Error('the form made an AWS call');
    },
    eks: async () => {
      throw new Error('the form made an AWS call');
    },
  };
  const service = createIrsaService(new ConfigReader(config), registry);
  service.form = new FormService(
    registry,
    new RoleService(registry, noAws),
    () => k8s as unknown as KubernetesGateway,
  );
  const { server } = await startTestBackend({
    features: [
      irsaPlugin,
      mockServices.rootConfig.factory({ data: config }),
      catalogServiceMock.factory({ entities: [payments] }),
      createServiceFactory({
        service: irsaServiceRef,
        deps: {},
        factory: () => service,
      }),
      ...extra,
    ],
  });
  return { server, k8s };
}

const user = () => mockCredentials.user.header('user:default/ada');

function preview(server: any, body: object) {
  return request(server)
    .post('/api/irsa/form/preview')
    .set('Authorization', user())
    .send({
      entityRef,
      cluster: 'prod-cn',
      namespace: 'payments',
      serviceAccount: 'payments-api',
      roleName: 'payments-api',
      ...body,
    });
}

describe('the template form routes', () => {
  it('lists each cluster with the accounts its roles may live in, no connection details', async () => {
    const { server } = await start();
    const res = await request(server)
      .get('/api/irsa/clusters')
      .set('Authorization', user());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          name: 'prod-cn',
          accountId: '111111111111',
          region: 'cn-north-1',
          eksClusterName: 'prod',
          allowedAccountIds: ['222222222222'],
        },
      ],
    });
    expect(JSON.stringify(res.body)).not.toContain('do-not-leak');
  });

  describe('GET /form/namespaces', () => {
    it("marks each namespace allowed or refused for the entity, with the guardrails' and ownership's reasons", async () => {
      const { server, k8s } = await start();
      const res = await request(server)
        .get('/api/irsa/form/namespaces')
        .query({ cluster: 'prod-cn', entityRef: 'Component:payments-api' })
        .set('Authorization', user());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        items: [
          {
            name: 'default',
            allowed: false,
            reason:
              'Namespace "default" is not the entity\'s namespace: its backstage.io/kubernetes-namespace annotation says "payments".',
          },
          {
            name: 'kube-system',
            allowed: false,
            reason:
              'Namespace "kube-system" may not receive AWS roles: it matches "kube-*" in irsa.guardrails.deniedNamespaces.',
          },
          {
            name: 'orders',
            allowed: false,
            reason:
              'Namespace "orders" is not the entity\'s namespace: its backstage.io/kubernetes-namespace annotation says "payments".',
          },
          { name: 'payments', allowed: true },
        ],
      });
      expect(k8s.listNamespaces).toHaveBeenCalledTimes(1);
    });

    it('refuses an unknown cluster (400) before asking any cluster', async () => {
      const { server, k8s } = await start();
      const res = await request(server)
        .get('/api/irsa/form/namespaces')
        .query({ cluster: 'nope', entityRef })
        .set('Authorization', user());
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'cluster: Unknown IRSA cluster "nope"; configured clusters: prod-cn',
      );
      expect(k8s.listNamespaces).not.toHaveBeenCalled();
    });

    it('answers 404 for an entity the user cannot see and 403 without irsa.binding.create, listing nothing', async () => {
      const { server, k8s } = await start();
      const missing = await request(server)
        .get('/api/irsa/form/namespaces')
        .query({ cluster: 'prod-cn', entityRef: 'component:default/hidden' })
        .set('Authorization', user());
      expect(missing.status).toBe(404);

      const denied = await start(
        [mockServices.permissions.factory({ result: AuthorizeResult.DENY })],
        k8s,
      );
      const res = await request(denied.server)
        .get('/api/irsa/form/namespaces')
        .query({ cluster: 'prod-cn', entityRef })
        .set('Authorization', user());
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('irsa.binding.create');
      expect(k8s.listNamespaces).not.toHaveBeenCalled();
    });

    it('refuses requests without user credentials and unknown query fields', async () => {
      const { server } = await start();
      const anonymous = await request(server)
        .get('/api/irsa/form/namespaces')
        .query({ cluster: 'prod-cn', entityRef })
        .set('Authorization', mockCredentials.none.header());
      expect(anonymous.status).toBe(401);
      const extra = await request(server)
        .get('/api/irsa/form/namespaces')
        .query({ cluster: 'prod-cn', entityRef, all: 'true' })
        .set('Authorization', user());
      expect(extra.status).toBe(400);
      expect(extra.body.error.message).toContain(
        'all: not a field of this request',
      );
    });
  });

  describe('GET /form/policies', () => {
    it('offers the presets (without their documents) and the allow-listed policies that name one policy, not the globs', async () => {
      const { server } = await start();
      const res = await request(server)
        .get('/api/irsa/form/policies')
        .set('Authorization', user());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        presets: [
          {
            name: 's3-read-bucket',
            title: 'Read one S3 bucket',
            description: 'GetObject and ListBucket on the bucket you name.',
            policyArns: [],
            hasInlinePolicy: true,
            parameters: [
              {
                name: 'bucket',
                title: 'Bucket name',
                description: 'The bucket the service reads.',
                pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
              },
            ],
          },
        ],
        managedPolicyArns: [S3_READ],
      });
    });
  });

  describe('POST /form/preview', () => {
    it('shows the final role name, path, partition-aware ARN and trust subject', async () => {
      const { server, k8s } = await start();
      const res = await preview(server, { policyArns: [S3_READ] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        roleName: 'irsa-payments-api',
        roleNamePrefix: 'irsa-',
        path: '/irsa/',
        roleArn: 'arn:aws-cn:iam::111111111111:role/irsa/irsa-payments-api',
        trustSubject: 'system:serviceaccount:payments:payments-api',
        problems: [],
      });
      expect(k8s.listNamespaces).not.toHaveBeenCalled();
    });

    it('keeps a name that already has the prefix, and uses the chosen account', async () => {
      const { server } = await start();
      const res = await preview(server, {
        roleName: 'irsa-payments-api',
        accountId: '222222222222',
      });
      expect(res.body.roleArn).toBe(
        'arn:aws-cn:iam::222222222222:role/irsa/irsa-payments-api',
      );
      // An empty account field is the cluster's own account.
      const own = await preview(server, { accountId: '' });
      expect(own.body.roleArn).toContain(':111111111111:');
      expect(own.body.problems).toEqual([]);
    });

    it('reports every problem the actions would refuse, each at its field', async () => {
      const { server } = await start();
      const res = await preview(server, {
        roleName: 'x'.repeat(60),
        namespace: 'kube-system',
        serviceAccount: 'Payments_API',
        accountId: '333333333333',
        policyArns: ['arn:aws-cn:iam::aws:policy/AdministratorAccess'],
      });
      expect(res.status).toBe(200);
      const byField = (field: string) =>
        res.body.problems
          .filter((p: any) => p.field === field)
          .map((p: any) => p.message);
      expect(byField('roleName')).toEqual([
        expect.stringContaining(
          'IAM allows at most 64, so with this prefix the name may have at most 59 characters',
        ),
      ]);
      expect(byField('namespace')).toEqual([
        'Namespace "kube-system" may not receive AWS roles: it matches "kube-*" in irsa.guardrails.deniedNamespaces.',
      ]);
      expect(byField('serviceAccount')).toEqual([
        expect.stringContaining('is not a DNS-1123 subdomain'),
      ]);
      expect(byField('accountId')).toEqual([
        expect.stringContaining(
          'Account 333333333333 is not an account of cluster "prod-cn" (allowed: 111111111111, 222222222222)',
        ),
      ]);
      expect(byField('policyArns')).toEqual([
        expect.stringContaining(
          'Policy arn:aws-cn:iam::aws:policy/AdministratorAccess is not in irsa.guardrails.allowedPolicyArns',
        ),
      ]);
      // Messages in words, not the validators' regular expressions.
      expect(JSON.stringify(res.body.problems)).not.toMatch(/\^\[|\]\$/);
    });

    it("reports a preset parameter the actions would refuse, at the preset's field", async () => {
      const { server } = await start();
      const ok = await preview(server, {
        presets: [
          { name: 's3-read-bucket', parameters: { bucket: 'invoices' } },
        ],
      });
      expect(ok.body.problems).toEqual([]);
      const bad = await preview(server, {
        presets: [
          { name: 's3-read-bucket', parameters: { bucket: 'Invoices*' } },
          { name: 'admin' },
        ],
      });
      expect(bad.body.problems.map((p: any) => p.field)).toEqual([
        'presets[0].parameters.bucket',
        'presets[1].name',
      ]);
    });

    it("refuses another team's namespace as the actions do, and an unknown cluster at its field", async () => {
      const { server } = await start();
      const other = await preview(server, { namespace: 'orders' });
      expect(other.body.problems).toEqual([
        {
          field: 'namespace',
          message:
            'Namespace "orders" is not the entity\'s namespace: its backstage.io/kubernetes-namespace annotation says "payments".',
        },
      ]);
      const unknown = await preview(server, { cluster: 'nope' });
      expect(unknown.body.roleArn).toBe('');
      expect(unknown.body.problems).toEqual([
        {
          field: 'cluster',
          message: 'Unknown IRSA cluster "nope"; configured clusters: prod-cn',
        },
      ]);
    });

    it('answers 403 without irsa.binding.create, and 400 for an unknown body field', async () => {
      const denied = await start([
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ]);
      const res = await preview(denied.server, {});
      expect(res.status).toBe(403);
      const { server } = await start();
      const extra = await preview(server, { roleArn: 'arn:aws:iam::1:role/x' });
      expect(extra.status).toBe(400);
      expect(extra.body.error.message).toContain(
        'roleArn: not a field of this request',
      );
    });
  });
});
