import {
  EKSClient,
  ListPodIdentityAssociationsCommand,
} from '@aws-sdk/client-eks';
import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { SdkEksGateway } from './EksGateway';
import { SdkIamGateway } from './IamGateway';

describe('SdkEksGateway.listPodIdentityAssociations', () => {
  const eks = mockClient(EKSClient);
  afterEach(() => eks.reset());

  it("lists one ServiceAccount's associations across pages", async () => {
    eks
      .on(ListPodIdentityAssociationsCommand)
      .resolvesOnce({
        associations: [{ associationId: 'a-1', associationArn: 'arn:1' }],
        nextToken: 'next',
      })
      .resolvesOnce({ associations: [{ associationId: 'a-2' }] });
    const gateway = new SdkEksGateway(new EKSClient({ region: 'eu-west-1' }));
    await expect(
      gateway.listPodIdentityAssociations('prod', 'payments', 'api'),
    ).resolves.toEqual([
      { associationId: 'a-1', associationArn: 'arn:1' },
      { associationId: 'a-2' },
    ]);
    // The paginator reuses one input object, so only its final state can be seen.
    const calls = eks.commandCalls(ListPodIdentityAssociationsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1].args[0].input).toMatchObject({
      clusterName: 'prod',
      namespace: 'payments',
      serviceAccount: 'api',
      nextToken: 'next',
    });
  });

  it('tells a denial (NotAllowedError) from a peer without the API', async () => {
    const gateway = new SdkEksGateway(new EKSClient({ region: 'eu-west-1' }));
    eks.on(ListPodIdentityAssociationsCommand).rejects(
      Object.assign(new Error('not authorized'), {
        name: 'AccessDeniedException',
      }),
    );
    await expect(
      gateway.listPodIdentityAssociations('prod', 'payments', 'api'),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    eks.reset();
    eks
      .on(ListPodIdentityAssociationsCommand)
      .rejects(
        Object.assign(new Error('Unexpected token'), { name: 'SyntaxError' }),
      );
    await expect(
      gateway.listPodIdentityAssociations('prod', 'payments', 'api'),
    ).rejects.toThrow(
      /^Could not list the EKS Pod Identity associations of payments\/api on cluster "prod"/,
    );
    await expect(
      gateway.listPodIdentityAssociations('prod', 'payments', 'api'),
    ).rejects.not.toMatchObject({ name: 'NotAllowedError' });
  });
});

describe('SdkIamGateway.getRole', () => {
  const iam = mockClient(IAMClient);
  afterEach(() => iam.reset());

  it("reads the role's creation date (F16)", async () => {
    iam.on(GetRoleCommand).resolves({
      Role: {
        Arn: 'arn:aws:iam::111111111111:role/irsa/irsa-api',
        RoleName: 'irsa-api',
        Path: '/irsa/',
        RoleId: 'AROAEXAMPLE',
        CreateDate: new Date('2026-01-01T12:00:00Z'),
        AssumeRolePolicyDocument: encodeURIComponent('{"Statement":[]}'),
      },
    });
    const gateway = new SdkIamGateway(new IAMClient({ region: 'eu-west-1' }));
    await expect(gateway.getRole('irsa-api')).resolves.toMatchObject({
      name: 'irsa-api',
      createDate: '2026-01-01T12:00:00.000Z',
    });
  });
});

describe('SdkIamGateway inline policies and boundary', () => {
  // Made when this block runs: a second mockClient at load time would replace the first.
  let iam: ReturnType<typeof mockClient>;
  beforeAll(() => {
    iam = mockClient(IAMClient);
  });
  afterEach(() => iam.reset());
  afterAll(() => iam.restore());
  const gateway = () =>
    new SdkIamGateway(new IAMClient({ region: 'eu-west-1' }));

  it('reads an inline policy URL-decoded, and none as undefined', async () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::a b/*',
        },
      ],
    };
    iam
      .on(GetRolePolicyCommand, { RoleName: 'r', PolicyName: 'preset-x' })
      .resolves({ PolicyDocument: encodeURIComponent(JSON.stringify(doc)) });
    iam
      .on(GetRolePolicyCommand, { RoleName: 'r', PolicyName: 'preset-y' })
      .rejects(
        Object.assign(new Error('no such policy'), {
          name: 'NoSuchEntityException',
        }),
      );
    await expect(gateway().getRolePolicy('r', 'preset-x')).resolves.toEqual(
      doc,
    );
    await expect(
      gateway().getRolePolicy('r', 'preset-y'),
    ).resolves.toBeUndefined();
  });

  it('writes inline policies and the boundary, mapping a denial', async () => {
    iam.on(PutRolePolicyCommand).resolves({});
    await gateway().putRolePolicy('r', 'preset-x', '{"Version":"2012-10-17"}');
    expect(iam.commandCalls(PutRolePolicyCommand)[0].args[0].input).toEqual({
      RoleName: 'r',
      PolicyName: 'preset-x',
      PolicyDocument: '{"Version":"2012-10-17"}',
    });
    iam
      .on(PutRolePermissionsBoundaryCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    await expect(
      gateway().putRolePermissionsBoundary('r', 'arn:aws:iam::1:policy/b'),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'Could not set the permissions boundary arn:aws:iam::1:policy/b on IAM role r',
      ),
    });
  });
});

describe('SdkIamGateway retirement calls', () => {
  let iam: ReturnType<typeof mockClient>;
  beforeAll(() => {
    iam = mockClient(IAMClient);
  });
  afterEach(() => iam.reset());
  afterAll(() => iam.restore());
  const gateway = () =>
    new SdkIamGateway(new IAMClient({ region: 'eu-west-1' }));
  const noSuchEntity = () =>
    Object.assign(new Error('gone'), { name: 'NoSuchEntityException' });

  it('lists inline policy names across pages', async () => {
    iam
      .on(ListRolePoliciesCommand, { RoleName: 'r', Marker: undefined })
      .resolves({ PolicyNames: ['preset-a'], IsTruncated: true, Marker: 'm' })
      .on(ListRolePoliciesCommand, { RoleName: 'r', Marker: 'm' })
      .resolves({ PolicyNames: ['preset-b'], IsTruncated: false });
    await expect(gateway().listRolePolicyNames('r')).resolves.toEqual([
      'preset-a',
      'preset-b',
    ]);
  });

  it('takes what is already gone as done, so a retried retirement carries on', async () => {
    iam.on(DetachRolePolicyCommand).rejects(noSuchEntity());
    iam.on(DeleteRolePolicyCommand).rejects(noSuchEntity());
    iam.on(DeleteRoleCommand).rejects(noSuchEntity());
    await expect(
      gateway().detachPolicy('r', 'arn:aws:iam::aws:policy/X'),
    ).resolves.toBeUndefined();
    await expect(
      gateway().deleteRolePolicy('r', 'preset-a'),
    ).resolves.toBeUndefined();
    await expect(gateway().deleteRole('r')).resolves.toBeUndefined();
    expect(iam.commandCalls(DetachRolePolicyCommand)[0].args[0].input).toEqual({
      RoleName: 'r',
      PolicyArn: 'arn:aws:iam::aws:policy/X',
    });
  });

  it('maps a role that still has policies to a ConflictError, a denial to NotAllowedError', async () => {
    iam.on(DeleteRoleCommand).rejects(
      Object.assign(new Error('must detach all policies first'), {
        name: 'DeleteConflictException',
      }),
    );
    await expect(gateway().deleteRole('r')).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('Could not delete the IAM role r'),
    });
    iam
      .on(DeleteRolePolicyCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    await expect(
      gateway().deleteRolePolicy('r', 'preset-a'),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });
});
