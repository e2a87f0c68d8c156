import { mapKubernetesError } from './mapKubernetesError';

// What a refusal tells the platform team to check depends on how the backend signs in: a
// ServiceAccount token and its RBAC, or an EKS token, whose identity the cluster must map.

/** What @kubernetes/client-node throws for an answered request: the code and the Status. */
const apiException = (code: number, message: string) => ({
  code,
  body: JSON.stringify({ kind: 'Status', code, message }),
});

describe('mapKubernetesError', () => {
  it("points a ServiceAccount token's refusal at its token and ClusterRole", () => {
    for (const code of [401, 403]) {
      const error = mapKubernetesError(
        apiException(code, 'Unauthorized'),
        'list pods on cluster prod',
      );
      expect(error.name).toBe('NotAllowedError');
      expect(error.message).toContain(`(Kubernetes API ${code}): Unauthorized`);
      expect(error.message).toContain(
        "backstage-irsa ServiceAccount's ClusterRole",
      );
    }
  });

  it("points an EKS token's 401 at the identity mapping, and its 403 at the ClusterRole binding", () => {
    const refused = (code: number, message: string) =>
      mapKubernetesError(
        apiException(code, message),
        'list pods on cluster prod',
        'eksToken',
      );
    const unauthenticated = refused(401, 'Unauthorized');
    expect(unauthenticated.name).toBe('NotAllowedError');
    expect(unauthenticated.message).toMatch(
      /\(Kubernetes API 401\).*EKS token.*EKS access entry or the aws-auth ConfigMap.*eksClusterName/,
    );
    expect(unauthenticated.message).not.toContain('ServiceAccount');

    const forbidden = refused(
      403,
      'pods is forbidden: User "backstage-irsa" cannot list',
    );
    expect(forbidden.name).toBe('NotAllowedError');
    expect(forbidden.message).toMatch(
      /\(Kubernetes API 403\): pods is forbidden.*lacks the backstage-irsa ClusterRole.*bind it to that user/,
    );
  });

  it('keeps other answers as they were, whatever the sign-in', () => {
    expect(
      mapKubernetesError(apiException(404, 'not found'), 'read x', 'eksToken')
        .name,
    ).toBe('NotFoundError');
    expect(
      mapKubernetesError(apiException(409, 'exists'), 'create x', 'eksToken')
        .name,
    ).toBe('ConflictError');
  });
});
