import { createHash } from 'node:crypto';
import {
  CreateRoleCommand,
  DeleteOpenIDConnectProviderCommand,
  EntityAlreadyExistsException,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { iamFor } from '../awsClients';
import { coreV1, uniqueName } from '../kubeClients';
import { createManagedRole } from '../managedRoles';
import { sandboxEnv } from '../sandboxEnv';

/** The labels k8s:create-sa sets for `entityRef` (irsa.backstage.io/entity-hash: its index). */
const managedFor = (entityRef: string) => ({
  'app.kubernetes.io/managed-by': 'backstage-irsa',
  'irsa.backstage.io/entity-hash': createHash('sha256')
    .update(entityRef.toLocaleLowerCase('en-US'))
    .digest('hex')
    .slice(0, 40),
});

async function ensureNamespace(name: string) {
  await coreV1()
    .createNamespace({ body: { metadata: { name } } })
    .catch(e => {
      if (e.code !== 409) throw e;
    });
}

async function ensureSa(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  annotations: Record<string, string>,
) {
  await coreV1()
    .createNamespacedServiceAccount({
      namespace,
      body: { metadata: { name, labels, annotations } },
    })
    .catch(e => {
      if (e.code !== 409) throw e;
    });
}

/**
 * The world the takeover suite attacks (entities in fixtures/takeover/entities.yaml): a
 * victim entity with a role and ServiceAccount of its own, and, in the attacker's own
 * namespace, ServiceAccounts and roles the attacker must not be able to take over.
 */
export async function buildTakeoverWorld() {
  const env = sandboxEnv();
  const account = env.clusterAccountId;
  const id = uniqueName('tko').slice(-8);
  await ensureNamespace('takeover-mine');
  await ensureNamespace('takeover-victim');

  const victimRoleArn = await createManagedRole(
    'irsa-takeover-victim-api',
    'component:default/takeover-victim',
  );
  const foreignRole = `irsa-tko-foreign-${id}`;
  try {
    await iamFor(account).send(
      new CreateRoleCommand({
        RoleName: foreignRole,
        Path: '/irsa/',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'ec2.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
  } catch (e) {
    if (!(e instanceof EntityAlreadyExistsException)) throw e;
  }
  const untaggedRole = `irsa-tko-untagged-${id}`;
  await createManagedRole(untaggedRole, undefined);

  const roleAnnotation = (arn: string) => ({
    'eks.amazonaws.com/role-arn': arn,
  });
  await ensureSa(
    'takeover-victim',
    'victim-api',
    managedFor('component:default/takeover-victim'),
    {
      ...roleAnnotation(victimRoleArn),
      'irsa.backstage.io/entity-ref': 'component:default/takeover-victim',
    },
  );
  await ensureSa(
    'kube-system',
    'takeover-node',
    {},
    roleAnnotation(victimRoleArn),
  );
  const handMade = `hand-made-${id}`;
  await ensureSa(
    'takeover-mine',
    handMade,
    {},
    roleAnnotation(`arn:aws:iam::${account}:role/someone-elses`),
  );
  const helm = `helm-${id}`;
  await ensureSa(
    'takeover-mine',
    helm,
    { 'app.kubernetes.io/managed-by': 'Helm' },
    { 'meta.helm.sh/release-name': 'payments' },
  );
  const planted = `planted-${id}`;
  await ensureSa(
    'takeover-mine',
    planted,
    managedFor('component:default/takeover-victim'),
    {
      ...roleAnnotation(victimRoleArn),
      'irsa.backstage.io/entity-ref': 'component:default/takeover-victim',
    },
  );
  const brokenArn = `broken-arn-${id}`;
  await ensureSa(
    'takeover-mine',
    brokenArn,
    managedFor('component:default/takeover-mine'),
    {
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::1111:role/not-an-account',
      'irsa.backstage.io/entity-ref': 'component:default/takeover-mine',
    },
  );

  return {
    id,
    account,
    victimRoleArn,
    roles: {
      victim: 'irsa-takeover-victim-api',
      foreign: foreignRole,
      untagged: untaggedRole,
    },
    serviceAccounts: { handMade, helm, planted, brokenArn },
    /** Every role and ServiceAccount an attack could touch. */
    watched: {
      roles: ['irsa-takeover-victim-api', foreignRole, untaggedRole],
      serviceAccounts: [
        ['takeover-victim', 'victim-api'],
        ['kube-system', 'takeover-node'],
        ['takeover-mine', handMade],
        ['takeover-mine', helm],
        ['takeover-mine', planted],
        ['takeover-mine', brokenArn],
      ] as Array<[string, string]>,
    },
  };
}

/**
 * Deletes the sandbox cluster's IAM OIDC provider in its account (the suite runs alone;
 * the allowed request at its end creates it again).
 */
export async function removeClusterProvider() {
  const env = sandboxEnv();
  const arn = `arn:aws:iam::${
    env.clusterAccountId
  }:oidc-provider/${env.oidcIssuer
    .replace(/^https:\/\//, '')
    .replace(/\/$/, '')}`;
  try {
    await iamFor(env.clusterAccountId).send(
      new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }),
    );
  } catch (e) {
    if (!(e instanceof NoSuchEntityException)) throw e;
  }
}
