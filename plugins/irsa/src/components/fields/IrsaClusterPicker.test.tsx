import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { IrsaClusterPicker, validateIrsaCluster } from './IrsaClusterPicker';
import { renderField, validate } from './__testUtils__/renderField';

const clusters = [
  { name: 'prod-eu', accountId: '111111111111', region: 'eu-west-1' },
  { name: 'prod-us', accountId: '222222222222', region: 'us-east-1' },
];

describe('IrsaClusterPicker', () => {
  it('lists the clusters the backend configures, by name, region and account', async () => {
    const { onChange } = await renderField(IrsaClusterPicker, {
      api: { getClusters: async () => clusters },
      key: 'cluster',
      title: 'Cluster',
    });
    await userEvent.click(
      await screen.findByRole('button', { name: /Cluster/ }),
    );
    const listbox = await screen.findByRole('listbox');
    expect(
      within(listbox)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual([
      'prod-eu (eu-west-1, account 111111111111)',
      'prod-us (us-east-1, account 222222222222)',
    ]);
    await userEvent.click(within(listbox).getByText(/prod-us/));
    expect(onChange).toHaveBeenLastCalledWith('prod-us');
  });

  it('chooses the only cluster there is', async () => {
    const { onChange } = await renderField(IrsaClusterPicker, {
      api: { getClusters: async () => [clusters[0]] },
      key: 'cluster',
    });
    await screen.findByText('prod-eu (eu-west-1, account 111111111111)');
    expect(onChange).toHaveBeenCalledWith('prod-eu');
  });

  it('says at the field when a prefilled cluster is not configured', async () => {
    await renderField(IrsaClusterPicker, {
      api: { getClusters: async () => clusters },
      key: 'cluster',
      formData: 'staging',
    });
    expect(
      await screen.findByText(
        'Cluster "staging" is not configured for AWS access; choose one of: prod-eu, prod-us.',
      ),
    ).toBeInTheDocument();
  });

  it('refuses an unknown cluster on Review, naming the configured ones', async () => {
    const api = { getClusters: async () => clusters };
    expect(await validate(validateIrsaCluster, 'prod-eu', api, {})).toEqual([]);
    expect(await validate(validateIrsaCluster, 'staging', api, {})).toEqual([
      'Cluster "staging" is not configured for AWS access; choose one of: prod-eu, prod-us.',
    ]);
  });
});
