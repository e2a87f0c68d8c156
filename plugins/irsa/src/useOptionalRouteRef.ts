import { type RouteRef, useRouteRef } from '@backstage/core-plugin-api';

/**
 * `useRouteRef` for a page the app may not have mounted (a legacy app that did not add
 * the IRSA troubleshooting route): undefined instead of the error `useRouteRef` throws.
 * Safe as a hook: `useRouteRef` calls all its hooks before it throws.
 */
export function useOptionalRouteRef(
  routeRef: RouteRef<undefined>,
): (() => string) | undefined {
  try {
    return useRouteRef(routeRef);
  } catch {
    return undefined;
  }
}
