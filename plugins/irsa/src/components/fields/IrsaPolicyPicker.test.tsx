import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { IrsaFormPolicies } from '../../api';
import { IrsaPolicyPicker, validateIrsaPolicies } from './IrsaPolicyPicker';
import { forgetPreviews } from './formValues';
import { ENTITY_REF, renderField, validate } from './__testUtils__/renderField';

const S3_READ = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const SQS = 'arn:aws:iam::aws:policy/AmazonSQSFullAccess';

const policies: IrsaFormPolicies = {
  presets: [
    {
      name: 's3-read-bucket',
      title: 'Read one S3 bucket',
      description: 'GetObject and ListBucket on the bucket you name.',
      policyArns: [],
      hasInlinePolicy: true,
      parameters: [
        {
          name: 'bucket',
          title: 'Bucket name',
          description: 'The bucket the service reads.',
          pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
        },
      ],
    },
  ],
  managedPolicyArns: [S3_READ, SQS],
};

const form = {
  entity: ENTITY_REF,
  cluster: 'prod',
  namespace: 'payments',
  serviceAccount: 'payments-api',
  roleName: 'payments-api',
};

beforeEach(() => forgetPreviews());

describe('IrsaPolicyPicker', () => {
  it("shows the platform's presets with their descriptions and the allow-listed policies", async () => {
    const { onChange } = await renderField(IrsaPolicyPicker, {
      api: { getFormPolicies: async () => policies },
      key: 'policies',
      title: 'What the role may do',
    });
    expect(
      await screen.findByRole('checkbox', { name: 'Read one S3 bucket' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('GetObject and ListBucket on the bucket you name.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Includes a policy written by your platform team.'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('checkbox', { name: /AmazonSQSFullAccess/ }),
    );
    expect(onChange).toHaveBeenLastCalledWith({
      presets: [],
      policyArns: [SQS],
    });
  });

  it("asks for a preset's parameters and checks them as you type, in words", async () => {
    const { onChange } = await renderField(IrsaPolicyPicker, {
      api: { getFormPolicies: async () => policies },
      key: 'policies',
    });
    await userEvent.click(
      await screen.findByRole('checkbox', { name: 'Read one S3 bucket' }),
    );
    const bucket = screen.getByRole('textbox', {
      name: 'Read one S3 bucket: Bucket name',
    });
    await userEvent.type(bucket, 'My_Bucket');
    expect(
      screen.getByText(
        '"My_Bucket" is not a valid bucket name. The bucket the service reads.',
      ),
    ).toBeInTheDocument();
    // Never the pattern itself.
    expect(screen.queryByText(/\^\[a-z0-9\]/)).not.toBeInTheDocument();
    await userEvent.clear(bucket);
    await userEvent.type(bucket, 'payments-invoices');
    expect(
      screen.queryByText(/is not a valid bucket name/),
    ).not.toBeInTheDocument();
    expect(onChange).toHaveBeenLastCalledWith({
      presets: [
        { name: 's3-read-bucket', parameters: { bucket: 'payments-invoices' } },
      ],
      policyArns: [],
    });
  });

  it('says so when the platform offers nothing', async () => {
    await renderField(IrsaPolicyPicker, {
      api: {
        getFormPolicies: async () => ({ presets: [], managedPolicyArns: [] }),
      },
      key: 'policies',
    });
    expect(
      await screen.findByText(
        'Your platform team has not offered any permission sets or policies yet.',
      ),
    ).toBeInTheDocument();
  });

  it('refuses on Review an unknown preset, a bad or missing parameter and a policy not allowed', async () => {
    const previewRole = jest.fn();
    const api = { getFormPolicies: async () => policies, previewRole };
    const errors = await validate(
      validateIrsaPolicies,
      {
        presets: [
          { name: 's3-read-bucket', parameters: { bucket: 'A' } },
          { name: 'admin' },
        ],
        policyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      },
      api,
      form,
    );
    expect(errors).toEqual([
      'Read one S3 bucket: "A" is not a valid bucket name. The bucket the service reads.',
      '"admin" is not a permission set your platform offers; pick from the list.',
      'Policy arn:aws:iam::aws:policy/AdministratorAccess is not one your platform allows; pick from the list.',
    ]);
    expect(previewRole).not.toHaveBeenCalled();
    expect(
      await validate(
        validateIrsaPolicies,
        {
          presets: [{ name: 's3-read-bucket', parameters: {} }],
          policyArns: [],
        },
        api,
        form,
      ),
    ).toEqual(['Read one S3 bucket: Bucket name is required.']);
  });

  it("adds what the backend refuses about the role's permissions once the picks are right", async () => {
    const previewRole = jest.fn(async () => ({
      roleName: 'irsa-payments-api',
      roleNamePrefix: 'irsa-',
      path: '/irsa/',
      roleArn: 'arn:aws:iam::111111111111:role/irsa/irsa-payments-api',
      trustSubject: 'system:serviceaccount:payments:payments-api',
      problems: [
        {
          field: 'presets[0]',
          message:
            'The inline policies of the role would be 10300 bytes: IAM allows 10240.',
        },
        { field: 'namespace', message: 'not this field' },
      ],
    }));
    const value = {
      presets: [{ name: 's3-read-bucket', parameters: { bucket: 'invoices' } }],
      policyArns: [S3_READ],
    };
    const errors = await validate(
      validateIrsaPolicies,
      value,
      { getFormPolicies: async () => policies, previewRole },
      form,
    );
    expect(errors).toEqual([
      'The inline policies of the role would be 10300 bytes: IAM allows 10240.',
    ]);
    expect(previewRole).toHaveBeenCalledWith({
      entityRef: ENTITY_REF,
      cluster: 'prod',
      namespace: 'payments',
      serviceAccount: 'payments-api',
      roleName: 'payments-api',
      ...value,
    });
  });
});
