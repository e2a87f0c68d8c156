import { parseRequest, statusQuery, verifyBody } from './requestSchemas';

const good = {
  entityRef: 'component:default/payments-api',
  cluster: 'prod',
  namespace: 'payments',
  serviceAccount: 'api',
};

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect((e as Error).name).toBe('InputError');
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('parseRequest', () => {
  it('accepts a good verify body as it is', () => {
    expect(parseRequest(verifyBody, good, 'body')).toEqual(good);
  });

  it('names each bad field, with the validators the actions use', () => {
    const message = messageOf(() =>
      parseRequest(
        verifyBody,
        { ...good, namespace: 'Kube_System', serviceAccount: undefined },
        'body',
      ),
    );
    expect(message).toMatch(/^Invalid request body: namespace: .*Kube_System/);
    expect(message).toContain('serviceAccount: is required');
  });

  it('refuses fields it does not know, by name, rather than ignoring them', () => {
    expect(
      messageOf(() =>
        parseRequest(verifyBody, { ...good, roleArn: 'arn:x' }, 'body'),
      ),
    ).toBe('Invalid request body: roleArn: not a field of this request');
  });

  it('says what type was expected, and calls a wrong whole "body"', () => {
    expect(
      messageOf(() =>
        parseRequest(verifyBody, { ...good, cluster: 7 }, 'body'),
      ),
    ).toBe('Invalid request body: cluster: must be string, not number');
    expect(messageOf(() => parseRequest(verifyBody, [good], 'body'))).toBe(
      'Invalid request body: body: must be object, not array',
    );
  });

  it('keeps a huge value out of the message', () => {
    const message = messageOf(() =>
      parseRequest(
        statusQuery,
        { entityRef: `component:default/${'x'.repeat(100_000)}` },
        'query',
      ),
    );
    expect(message).toMatch(/^Invalid request query: entityRef: /);
    expect(message.length).toBeLessThan(600);
  });
});
