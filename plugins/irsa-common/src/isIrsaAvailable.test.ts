import {
  IRSA_SERVICE_ACCOUNTS_ANNOTATION,
  KUBERNETES_ID_LABEL,
} from './constants';
import { isIrsaAvailable } from './isIrsaAvailable';

describe('isIrsaAvailable', () => {
  it.each([
    [{ [KUBERNETES_ID_LABEL]: 'payments-api' }, true],
    [{ [IRSA_SERVICE_ACCOUNTS_ANNOTATION]: 'payments/payments-api' }, true],
    [{ [KUBERNETES_ID_LABEL]: '  ' }, false],
    [{ 'backstage.io/techdocs-ref': 'dir:.' }, false],
    [undefined, false],
  ])('annotations %j → %s', (annotations, expected) => {
    expect(isIrsaAvailable({ metadata: { annotations } })).toBe(expected);
  });

  it('accepts a full catalog entity structurally', () => {
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'payments-api',
        annotations: { [KUBERNETES_ID_LABEL]: 'payments-api' },
      },
      spec: { type: 'service' },
    };
    expect(isIrsaAvailable(entity)).toBe(true);
  });
});
