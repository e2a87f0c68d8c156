/**
 * AWS partitions the product supports. IRSA works the same way in each; only the ARN
 * prefix differs, and getting it wrong is a classic `Request ARN is invalid` (F20).
 *
 * @public
 */
export type AwsPartition = 'aws' | 'aws-cn' | 'aws-us-gov';

/**
 * Every supported partition, in a stable order for messages.
 *
 * @public
 */
export const AWS_PARTITIONS: readonly AwsPartition[] = Object.freeze([
  'aws',
  'aws-cn',
  'aws-us-gov',
]);

/**
 * True when `value` names a supported partition.
 *
 * @public
 */
export function isAwsPartition(value: string): value is AwsPartition {
  return (AWS_PARTITIONS as readonly string[]).includes(value);
}

/**
 * The partition a region belongs to: `cn-*` regions are in `aws-cn`, `us-gov-*` in
 * `aws-us-gov`, everything else in `aws`.
 *
 * @public
 */
export function partitionForRegion(region: string): AwsPartition {
  if (region.startsWith('cn-')) {
    return 'aws-cn';
  }
  if (region.startsWith('us-gov-')) {
    return 'aws-us-gov';
  }
  return 'aws';
}
