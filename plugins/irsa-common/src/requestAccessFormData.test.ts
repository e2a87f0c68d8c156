import { requestAccessFormData } from './requestAccessFormData';

const entity = (name: string, annotations: Record<string, string> = {}) => ({
  metadata: { name, annotations },
});
const REF = 'component:default/payments-api';

describe('requestAccessFormData', () => {
  it('names the ServiceAccount and role after the entity when nothing else is known', () => {
    expect(requestAccessFormData(entity('payments-api'), REF)).toEqual({
      entity: REF,
      serviceAccount: 'payments-api',
      roleName: 'payments-api',
    });
  });

  it('takes the namespace from backstage.io/kubernetes-namespace', () => {
    expect(
      requestAccessFormData(
        entity('payments-api', {
          'backstage.io/kubernetes-namespace': 'payments',
        }),
        REF,
      ),
    ).toMatchObject({ namespace: 'payments', serviceAccount: 'payments-api' });
  });

  it('takes cluster, namespace and ServiceAccount from the first annotated ServiceAccount', () => {
    expect(
      requestAccessFormData(
        entity('payments-api', {
          'irsa.backstage.io/service-accounts':
            'prod-eu/payments/api-sa, other/x',
        }),
        REF,
      ),
    ).toEqual({
      entity: REF,
      cluster: 'prod-eu',
      namespace: 'payments',
      serviceAccount: 'api-sa',
      roleName: 'payments-api',
    });
  });

  it('does not mix a ServiceAccount of another namespace into the entity namespace', () => {
    expect(
      requestAccessFormData(
        entity('payments-api', {
          'backstage.io/kubernetes-namespace': 'payments',
          'irsa.backstage.io/service-accounts': 'billing/api-sa',
        }),
        REF,
      ),
    ).toMatchObject({ namespace: 'payments', serviceAccount: 'payments-api' });
  });

  it('leaves out what the form would refuse', () => {
    expect(
      requestAccessFormData(
        entity('Payments_API', {
          'backstage.io/kubernetes-namespace': 'Not A Namespace',
          'irsa.backstage.io/service-accounts': '???',
        }),
        REF,
      ),
    ).toEqual({ entity: REF, roleName: 'Payments_API' });
  });
});
