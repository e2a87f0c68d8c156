/*
 * The backstage-irsa demo backend: the plugins a platform team on EKS typically runs,
 * plus the IRSA backend plugin and the scaffolder module that provides the IRSA actions.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage-irsa/plugin-scaffolder-backend-module-irsa'));

backend.add(import('@backstage/plugin-permission-backend'));
// Owners request AWS access and verify; everyone reads status (docs/security.md).
backend.add(import('./demoPermissionPolicy'));

backend.add(import('@backstage/plugin-kubernetes-backend'));
backend.add(import('@backstage/plugin-user-settings-backend'));
// Live updates to the browser; the app's storage API depends on it.
backend.add(import('@backstage/plugin-signals-backend'));

backend.add(import('@backstage-irsa/plugin-irsa-backend'));

backend.start();
