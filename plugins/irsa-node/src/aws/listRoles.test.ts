import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { SdkIamGateway } from './IamGateway';

describe('SdkIamGateway.listRoles', () => {
  const iam = mockClient(IAMClient);
  afterEach(() => iam.reset());
  afterAll(() => iam.restore());
  const gateway = () =>
    new SdkIamGateway(new IAMClient({ region: 'eu-west-1' }));

  it('lists every page under the path, 1,000 at a time', async () => {
    iam
      .on(ListRolesCommand)
      .resolvesOnce({
        Roles: [
          {
            RoleName: 'irsa-a',
            Arn: 'arn:aws:iam::111111111111:role/irsa/irsa-a',
            Path: '/irsa/',
            RoleId: 'AROA1',
            CreateDate: new Date(),
          },
        ],
        IsTruncated: true,
        Marker: 'next',
      })
      .resolvesOnce({
        Roles: [
          {
            RoleName: 'irsa-b',
            Arn: 'arn:aws:iam::111111111111:role/irsa/team/irsa-b',
            Path: '/irsa/team/',
            RoleId: 'AROA2',
            CreateDate: new Date(),
          },
        ],
        IsTruncated: false,
      });
    await expect(gateway().listRoles('/irsa/')).resolves.toEqual([
      {
        name: 'irsa-a',
        arn: 'arn:aws:iam::111111111111:role/irsa/irsa-a',
        path: '/irsa/',
      },
      {
        name: 'irsa-b',
        arn: 'arn:aws:iam::111111111111:role/irsa/team/irsa-b',
        path: '/irsa/team/',
      },
    ]);
    const calls = iam.commandCalls(ListRolesCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1].args[0].input).toMatchObject({
      PathPrefix: '/irsa/',
      MaxItems: 1000,
      Marker: 'next',
    });
  });

  it('maps a denial to NotAllowedError naming what it tried', async () => {
    iam
      .on(ListRolesCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    await expect(gateway().listRoles('/irsa/')).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('list the IAM roles under /irsa/'),
    });
  });
});
