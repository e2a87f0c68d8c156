/*
 * Copyright 2026 The backstage-irsa Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

// F11 from EKS's side: the sandbox's moto has no Pod Identity API (404), fakecloud has one.
// The product's own EKS gateway lists a ServiceAccount's associations from fakecloud, and the
// card's F11 check turns them into a warning naming the association, as the status does for a
// cluster with `eksClusterName` (bindingChecks.ts podIdentityFinding). The pods' side of F11
// is proved against the sandbox (plugins/irsa-backend/src/statusChecks.sandbox.test.ts).

import {
  CreateClusterCommand,
  CreatePodIdentityAssociationCommand,
  EKSClient,
} from '@aws-sdk/client-eks';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { podIdentityCheck } from '@backstage-irsa/plugin-irsa-common';
import { SdkEksGateway } from '@backstage-irsa/plugin-irsa-node';
import {
  describeFakecloud,
  type Fakecloud,
  fakecloudClientConfig,
  fakecloudRootKeys,
  startFakecloud,
} from './fakecloud';

const ACCOUNT = '111111111111';
const plainPod = {
  name: 'api-0',
  annotations: {},
  containers: [{ name: 'app', envNames: ['AWS_ROLE_ARN'] }],
};

describeFakecloud('F11 from EKS Pod Identity associations (fakecloud)', () => {
  jest.setTimeout(60_000);
  let fc: Fakecloud;
  let apiAssociation = '';

  beforeAll(async () => {
    fc = await startFakecloud({ accountId: ACCOUNT, region: 'us-east-1' });
    // The scene, set with fakecloud's root keys: a cluster, a Pod Identity role, and
    // associations for payments/api and payments/worker.
    const setup = fakecloudClientConfig(fc, fakecloudRootKeys());
    const role = await new IAMClient(setup).send(
      new CreateRoleCommand({
        RoleName: 'payments-pod-identity',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'pods.eks.amazonaws.com' },
              Action: ['sts:AssumeRole', 'sts:TagSession'],
            },
          ],
        }),
      }),
    );
    const eks = new EKSClient(setup);
    await eks.send(
      new CreateClusterCommand({
        name: 'prod',
        roleArn: role.Role!.Arn!,
        resourcesVpcConfig: { subnetIds: [] },
      }),
    );
    for (const serviceAccount of ['api', 'worker']) {
      const out = await eks.send(
        new CreatePodIdentityAssociationCommand({
          clusterName: 'prod',
          namespace: 'payments',
          serviceAccount,
          roleArn: role.Role!.Arn!,
        }),
      );
      if (serviceAccount === 'api') {
        apiAssociation = out.association!.associationId!;
      }
    }
  }, 60_000);

  afterAll(async () => {
    await fc?.stop();
  });

  const gateway = () =>
    new SdkEksGateway(
      new EKSClient(fakecloudClientConfig(fc, fakecloudRootKeys())),
    );

  it("lists only the ServiceAccount's own association, and F11 warns naming it", async () => {
    const associations = await gateway().listPodIdentityAssociations(
      'prod',
      'payments',
      'api',
    );
    expect(associations).toEqual([
      expect.objectContaining({ associationId: apiAssociation }),
    ]);
    const check = podIdentityCheck([plainPod], associations);
    expect(check).toMatchObject({ code: 'F11', status: 'warn' });
    expect(check!.detail).toContain(
      `EKS has a Pod Identity association for this ServiceAccount (${apiAssociation})`,
    );
  });

  it('passes a ServiceAccount without an association', async () => {
    const associations = await gateway().listPodIdentityAssociations(
      'prod',
      'payments',
      'billing',
    );
    expect(associations).toEqual([]);
    expect(podIdentityCheck([plainPod], associations)).toMatchObject({
      code: 'F11',
      status: 'pass',
    });
  });
});
