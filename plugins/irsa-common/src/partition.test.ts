import { isAwsPartition, partitionForRegion } from './partition';

describe('partitions', () => {
  it.each([
    ['eu-west-1', 'aws'],
    ['us-east-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
  ])('puts %s in %s', (region, partition) => {
    expect(partitionForRegion(region)).toBe(partition);
  });
  it('knows the supported partitions only', () => {
    expect(['aws', 'aws-cn', 'aws-us-gov'].every(isAwsPartition)).toBe(true);
    expect(isAwsPartition('aws-iso')).toBe(false);
  });
});
