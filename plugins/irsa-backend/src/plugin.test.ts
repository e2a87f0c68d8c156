import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { irsaPlugin } from './plugin';

const irsaConfig = {
  irsa: {
    clusters: [
      {
        name: 'prod-eu',
        accountId: '111111111111',
        region: 'eu-west-1',
        eksClusterName: 'prod',
        kubernetes: {
          url: 'https://k8s.example.com',
          serviceAccountToken: 'do-not-leak',
          caData: 'Q0E=',
        },
      },
    ],
  },
};

async function start(data: object) {
  const { server } = await startTestBackend({
    features: [irsaPlugin, mockServices.rootConfig.factory({ data })],
  });
  return server;
}

describe('irsa backend plugin', () => {
  it('answers /health without credentials', async () => {
    const server = await start(irsaConfig);
    const res = await request(server).get('/api/irsa/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('lists configured clusters without connection details or secrets', async () => {
    const server = await start(irsaConfig);
    const res = await request(server)
      .get('/api/irsa/clusters')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          name: 'prod-eu',
          accountId: '111111111111',
          region: 'eu-west-1',
          eksClusterName: 'prod',
        },
      ],
    });
    expect(JSON.stringify(res.body)).not.toContain('do-not-leak');
  });

  it('refuses /clusters without credentials', async () => {
    const server = await start(irsaConfig);
    const res = await request(server)
      .get('/api/irsa/clusters')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('fails to start with an error naming the bad key', async () => {
    const bad = {
      irsa: {
        clusters: [{ ...irsaConfig.irsa.clusters[0], accountId: '42' }],
      },
    };
    await expect(start(bad)).rejects.toThrow(
      /irsa\.clusters\[0\]\.accountId: "42" must be a 12-digit AWS account id/,
    );
  });

  it('fails to start when the irsa section is missing', async () => {
    await expect(start({})).rejects.toThrow(/irsa: the section is missing/);
  });
});
