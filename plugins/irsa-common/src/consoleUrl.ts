import type { RoleArn } from './arn';
import type { AwsPartition } from './partition';

// The IAM console's host differs per partition; a commercial console link for a China or
// GovCloud role would land on a sign-in page of the wrong partition.
const CONSOLE_HOST: Record<AwsPartition, string> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

/**
 * The IAM console page of a role, in the role's partition. The console shows the role of
 * the account the user is signed in to, so callers should say which account it is in.
 *
 * @public
 */
export function roleConsoleUrl(role: Pick<RoleArn, 'partition' | 'name'>) {
  return `https://${
    CONSOLE_HOST[role.partition]
  }/iam/home#/roles/details/${encodeURIComponent(role.name)}`;
}
