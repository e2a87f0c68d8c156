import type { EksGateway, IamGateway } from '../aws';
import type { IrsaClusterConfig } from '../config/types';
import type { KubernetesGateway } from '../kubernetes/KubernetesGateway';
import { checkBinding } from './bindingChecks';
import type { AwsGatewayFactory } from './gateways';

// The order of a binding's reads: the pod list and GetRole go to two peers and depend on
// nothing of each other, so a cold card asks both at once (docs/configuration.md, call
// budget). The sandbox tests check the results against real peers; this one, the overlap.

const cluster: IrsaClusterConfig = {
  name: 'prod',
  accountId: '111111111111',
  region: 'eu-west-1',
  allowedAccountIds: [],
  kubernetes: { url: 'https://k8s.example.com' } as never,
};
const roleArn = 'arn:aws:iam::111111111111:role/irsa-payments';
const serviceAccount = {
  namespace: 'payments',
  name: 'api',
  labels: {},
  annotations: { 'eks.amazonaws.com/role-arn': roleArn },
};

/**
 * Peers whose pod list answers only once every other read of the binding was asked (GetRole,
 * and ListPodIdentityAssociations on an EKS cluster): read one after the other, it never ends.
 */
function peers(options: { getRole: IamGateway['getRole']; eks?: boolean }) {
  const events: string[] = [];
  const waitingFor = new Set(options.eks ? ['role', 'associations'] : ['role']);
  let answerPods!: () => void;
  const podsAnswered = new Promise<void>(r => {
    answerPods = r;
  });
  const asked = (what: string) => {
    events.push(`${what} asked`);
    waitingFor.delete(what);
    if (waitingFor.size === 0) answerPods();
  };
  const k8s = {
    listPodsOf: async () => {
      events.push('pods asked');
      await podsAnswered;
      events.push('pods answered');
      return [];
    },
  } as unknown as KubernetesGateway;
  const iam = {
    getRole: async (name: string) => {
      asked('role');
      return options.getRole(name);
    },
  } as unknown as IamGateway;
  const eks = {
    listPodIdentityAssociations: async () => {
      asked('associations');
      return [{ associationId: 'a-1' }];
    },
  } as unknown as EksGateway;
  const aws: AwsGatewayFactory = {
    iam: async () => iam,
    eks: async () => eks,
  };
  return { k8s, aws, events };
}

/** checkBinding of payments/api with the ServiceAccount already listed, as the status does. */
function check(
  { k8s, aws }: ReturnType<typeof peers>,
  on: IrsaClusterConfig = cluster,
) {
  return checkBinding(
    on,
    'payments',
    'api',
    k8s,
    aws,
    'component:default/payments-api',
    { serviceAccount },
  );
}

describe('checkBinding', () => {
  it('reads the role while the pods are listed, and reports in the usual order', async () => {
    // The pods answer only once GetRole was asked: one read after the other never ends.
    const binding = peers({ getRole: async () => undefined });
    const { events } = binding;
    const { checks } = await check(binding);
    expect(events.slice(0, 2).sort()).toEqual(['pods asked', 'role asked']);
    expect(events[2]).toBe('pods answered');
    const codes = checks.map(c => `${c.code} ${c.status}`);
    expect(codes.slice(0, 3)).toEqual(['P2 pass', 'P3 pass', 'F20 pass']);
    expect(codes[codes.length - 1]).toBe('P4 fail');
  });

  it('on an EKS cluster, also reads the Pod Identity associations while the pods are listed', async () => {
    const binding = peers({
      getRole: async () => undefined,
      eks: true,
    });
    const { events } = binding;
    const { checks } = await check(binding, {
      ...cluster,
      eksClusterName: 'prod',
    });
    expect(events.indexOf('pods answered')).toBe(events.length - 1);
    // The association found is reported (F11) from the pods and the associations together.
    expect(checks.find(c => c.code === 'F11')).toMatchObject({
      status: 'warn',
    });
  });

  it('reports a failed role read as unknown, after the pod checks', async () => {
    const { checks } = await check(
      peers({
        getRole: async () => {
          throw new Error('Throttling: Rate exceeded');
        },
      }),
    );
    const last = checks[checks.length - 1];
    expect(last).toMatchObject({ code: 'P8', status: 'unknown' });
    expect(last.detail).toContain('Could not read IAM in account 111111111111');
    expect(last.detail).toContain('Rate exceeded');
  });
});
