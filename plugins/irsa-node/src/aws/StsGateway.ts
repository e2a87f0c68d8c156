import {
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import type { AwsCallLimits } from '../config/types';
import { awsCallOptions, DEFAULT_AWS_CALL_LIMITS } from './AwsClientFactory';

/** What STS answered to a web-identity login: who it made us, or why it refused. */
export type WebIdentityOutcome =
  | { ok: true; assumedRoleArn: string }
  | { ok: false; errorCode: string; message: string };

/**
 * The STS calls a pod's SDK makes with IRSA, and nothing else. Credentials live only
 * inside `verifyWebIdentity`: the caller gets who AWS says it is, never the keys.
 */
export interface StsGateway {
  verifyWebIdentity(input: {
    roleArn: string;
    sessionName: string;
    token: string;
  }): Promise<WebIdentityOutcome>;
}

// The session can do nothing: a deny-all session policy caps the role's permissions, and
// GetCallerIdentity needs none. Verify proves the trust, not the role's power.
const DENY_ALL = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
});

/** StsGateway over the AWS SDK v3 STS client, regional endpoint of the cluster. */
export class SdkStsGateway implements StsGateway {
  constructor(
    private readonly region: string,
    private readonly limits: AwsCallLimits = DEFAULT_AWS_CALL_LIMITS,
  ) {}

  /** The unsigned client, made once: its connections to STS are reused across verifies. */
  private unsigned?: STSClient;

  async verifyWebIdentity(input: {
    roleArn: string;
    sessionName: string;
    token: string;
  }): Promise<WebIdentityOutcome> {
    try {
      // Unsigned, as a pod's SDK calls it: no Backstage credentials are involved.
      this.unsigned ??= new STSClient({
        region: this.region,
        customUserAgent: 'backstage-irsa',
        ...awsCallOptions(this.limits),
      });
      const assumed = await this.unsigned.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: input.roleArn,
          RoleSessionName: input.sessionName,
          WebIdentityToken: input.token,
          Policy: DENY_ALL,
          DurationSeconds: 900,
        }),
      );
      const c = assumed.Credentials;
      // A client of its own: these are the session's credentials, used once and dropped.
      const me = await new STSClient({
        region: this.region,
        customUserAgent: 'backstage-irsa',
        ...awsCallOptions(this.limits),
        credentials: {
          accessKeyId: c?.AccessKeyId ?? '',
          secretAccessKey: c?.SecretAccessKey ?? '',
          sessionToken: c?.SessionToken,
        },
      }).send(new GetCallerIdentityCommand({}));
      return { ok: true, assumedRoleArn: me.Arn ?? '' };
    } catch (e) {
      const error = e as { name?: string; message?: string };
      return {
        ok: false,
        errorCode: error.name ?? 'Error',
        message: error.message ?? String(e),
      };
    }
  }
}
