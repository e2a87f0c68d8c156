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

import { randomBytes } from 'node:crypto';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { sandboxEnv } from './sandboxEnv';

/**
 * KubeConfig of the sandbox cluster: `admin` (tests and seeding only) or `backstage` (the
 * backstage-irsa ServiceAccount token, i.e. what the product's RBAC allows).
 *
 * @public
 */
export function kubeConfig(as: 'admin' | 'backstage' = 'admin'): KubeConfig {
  const env = sandboxEnv();
  const kc = new KubeConfig();
  kc.loadFromFile(as === 'admin' ? env.kubeconfig : env.backstageKubeconfig);
  return kc;
}

/** CoreV1Api client of the sandbox cluster. @public */
export function coreV1(as: 'admin' | 'backstage' = 'admin'): CoreV1Api {
  return kubeConfig(as).makeApiClient(CoreV1Api);
}

/**
 * A unique DNS-1123 name: `<prefix>-<time>-<random>`, at most 63 characters.
 *
 * @public
 */
export function uniqueName(prefix: string): string {
  const clean =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 't';
  return `${clean}-${Date.now().toString(36)}-${randomBytes(3).toString(
    'hex',
  )}`;
}

/**
 * Creates a namespace with a unique name and returns the name. Namespaces are never deleted:
 * with no controller-manager in the sandbox a deleted namespace would stay Terminating, so each
 * test takes a fresh one instead of cleaning up.
 *
 * @public
 */
export async function freshNamespace(prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  await coreV1('admin').createNamespace({
    body: {
      metadata: {
        name,
        labels: { 'backstage-irsa.sandbox/test-namespace': 'true' },
      },
    },
  });
  return name;
}
