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

/**
 * Ready clients for integration tests against the running `scripts/sandbox` (moto + kube-apiserver).
 *
 * @packageDocumentation
 */

export * from './sandboxEnv';
export * from './awsClients';
export * from './kubeClients';
export * from './sandboxAppConfig';
export * from './peerRequestLog';
export * from './managedRoles';
export * from './iamState';
export * from './fakecloud';
export * from './eksAuthPeer';
export * from './backendProcess';
export * from './trustDocuments';
export * from './issuerFault';
export * from './webIdentity';
export * from './faultProxy';
export * from './tcpFaultProxy';
export * from './leakScan';
export * from './reliabilityReport';
