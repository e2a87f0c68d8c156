import { NotAllowedError } from '@backstage/errors';
import { testRegistry } from '../__testUtils__/testRegistry';
import type { PodRecord } from '../kubernetes';
import { podIdentityFinding } from './bindingChecks';
import type { AwsGatewayFactory } from './gateways';

const cluster = testRegistry().get('prod');
const plainPod: PodRecord = {
  name: 'api-0',
  serviceAccountName: 'api',
  annotations: {},
  containers: [{ name: 'app', envNames: ['AWS_ROLE_ARN'] }],
};

function gatewaysListing(list: () => Promise<unknown>) {
  const calls: string[] = [];
  const gateways = {
    eks: async (accountId: string, region: string) => ({
      listPodIdentityAssociations: async (
        clusterName: string,
        namespace: string,
        name: string,
      ) => {
        calls.push(
          `${accountId}/${region}/${clusterName}/${namespace}/${name}`,
        );
        return list();
      },
    }),
  } as unknown as AwsGatewayFactory;
  return { calls, gateways };
}

describe('podIdentityFinding (F11)', () => {
  it("asks EKS for the ServiceAccount's associations and warns on one", async () => {
    const { calls, gateways } = gatewaysListing(async () => [
      { associationId: 'a-1' },
    ]);
    const check = await podIdentityFinding(
      cluster,
      'payments',
      'api',
      [plainPod],
      gateways,
    );
    expect(calls).toEqual(['111111111111/eu-west-1/prod/payments/api']);
    expect(check).toMatchObject({ code: 'F11', status: 'warn' });
    expect(check?.detail).toContain('(a-1)');
  });

  it('is unknown when the read was denied and the pods show nothing', async () => {
    const { gateways } = gatewaysListing(async () => {
      throw new NotAllowedError('Could not list: AccessDeniedException');
    });
    const check = await podIdentityFinding(
      cluster,
      'payments',
      'api',
      [plainPod],
      gateways,
    );
    expect(check).toMatchObject({ code: 'F11', status: 'unknown' });
    expect(check?.detail).toBe(
      'Could not read the EKS Pod Identity associations: Could not list: AccessDeniedException No container carries EKS Pod Identity credentials.',
    );
    expect(
      await podIdentityFinding(cluster, 'payments', 'api', [], gateways),
    ).toMatchObject({ status: 'unknown' });
  });

  it("keeps the pods' answer when the peer has no such API", async () => {
    const { gateways } = gatewaysListing(async () => {
      throw new SyntaxError('Unexpected token <');
    });
    expect(
      await podIdentityFinding(
        cluster,
        'payments',
        'api',
        [plainPod],
        gateways,
      ),
    ).toMatchObject({ code: 'F11', status: 'pass' });
    expect(
      await podIdentityFinding(cluster, 'payments', 'api', [], gateways),
    ).toBeUndefined();
  });

  it('does not call EKS for a cluster without eksClusterName', async () => {
    const { calls, gateways } = gatewaysListing(async () => []);
    const { eksClusterName, ...noEks } = cluster;
    expect(eksClusterName).toBe('prod');
    await podIdentityFinding(noEks, 'payments', 'api', [plainPod], gateways);
    expect(calls).toEqual([]);
  });
});
