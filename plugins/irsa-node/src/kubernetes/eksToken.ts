import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
} from '@aws-sdk/types';

/**
 * How long the presigned request is valid (`X-Amz-Expires`), as aws-iam-authenticator's own
 * client and `aws eks get-token` presign it. The authenticator accepts 0–900 s and itself
 * refuses a token 15 minutes after `X-Amz-Date`; a verifier that honours `X-Amz-Expires`
 * refuses it after 60 s, so the token is never used past that (see EksTokenProvider).
 */
export const EKS_TOKEN_PRESIGN_SECONDS = 60;

/** The prefix of every EKS token: aws-iam-authenticator's v1 format. */
export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';

/** The header the presigned request signs, carrying the EKS cluster's name. */
export const EKS_CLUSTER_ID_HEADER = 'x-k8s-aws-id';

/** A bearer token for an EKS API server, and when its presigned request stops being valid. */
export interface EksToken {
  token: string;
  /** Epoch milliseconds: `X-Amz-Date` + {@link EKS_TOKEN_PRESIGN_SECONDS}. */
  expiresAt: number;
}

/**
 * An EKS token: `k8s-aws-v1.` + base64url (no padding) of a presigned STS
 * `GET /?Action=GetCallerIdentity&Version=2011-06-15` whose signed headers are `host` and
 * `x-k8s-aws-id`. The API server's authenticator (aws-iam-authenticator) sends that request
 * to STS with its own cluster id in the header: STS answers with the caller's ARN only when
 * the signature, and so the cluster id, match. The request shape is the Kubernetes
 * backend's AwsIamStrategy's, so a cluster that accepts the Kubernetes plugin accepts this.
 */
export async function presignEksToken(options: {
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  region: string;
  clusterId: string;
  signingDate?: Date;
}): Promise<EksToken> {
  const signingDate = options.signingDate ?? new Date();
  const hostname = `sts.${options.region}.amazonaws.com`;
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: 'sts',
    sha256: Sha256,
  });
  const request = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      headers: { host: hostname, [EKS_CLUSTER_ID_HEADER]: options.clusterId },
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    },
    { expiresIn: EKS_TOKEN_PRESIGN_SECONDS, signingDate },
  );
  const query = Object.entries(request.query ?? {})
    .map(
      ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`,
    )
    .join('&');
  const url = `https://${hostname}/?${query}`;
  // X-Amz-Date has second precision: the validity starts at the second signed.
  const signedAt = Math.floor(signingDate.getTime() / 1000) * 1000;
  return {
    token: EKS_TOKEN_PREFIX + Buffer.from(url).toString('base64url'),
    expiresAt: signedAt + EKS_TOKEN_PRESIGN_SECONDS * 1000,
  };
}
