import {
  parseServiceAccountSubject,
  serviceAccountSubject,
} from './serviceAccountSubject';

describe('ServiceAccount subjects', () => {
  it('formats and parses the sub claim', () => {
    expect(serviceAccountSubject('payments', 'api')).toBe(
      'system:serviceaccount:payments:api',
    );
    expect(
      parseServiceAccountSubject('system:serviceaccount:payments:api'),
    ).toEqual({ namespace: 'payments', name: 'api' });
    expect(
      parseServiceAccountSubject('system:serviceaccount:payments:api-*'),
    ).toEqual({ namespace: 'payments', name: 'api-*' });
  });
  it.each([
    'system:serviceaccount:',
    'system:serviceaccount::api',
    'system:serviceaccount:payments:',
    'system:serviceaccount:payments',
    'user:x:y',
  ])('rejects %j', value => {
    expect(parseServiceAccountSubject(value)).toBeUndefined();
  });
});
