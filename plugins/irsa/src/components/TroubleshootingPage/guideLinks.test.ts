import { guideLinkHref } from './guideLinks';

describe('guideLinkHref', () => {
  const base = 'https://git.example.com/platform/backstage-irsa/blob/main';
  it('keeps the guide’s own anchors and absolute links', () => {
    expect(guideLinkHref('#f10', base)).toBe('#f10');
    expect(guideLinkHref('#f10')).toBe('#f10');
    expect(guideLinkHref('https://docs.aws.amazon.com/x')).toBe(
      'https://docs.aws.amazon.com/x',
    );
  });
  it('resolves links to other files against irsa.docsBaseUrl, from docs/', () => {
    expect(guideLinkHref('configuration.md#guardrails', base)).toBe(
      `${base}/docs/configuration.md#guardrails`,
    );
    expect(
      guideLinkHref('../plugins/irsa-backend/src/status.test.ts', base),
    ).toBe(`${base}/plugins/irsa-backend/src/status.test.ts`);
  });
  it('leaves them unlinked without a base, rather than linking to a page the app lacks', () => {
    expect(guideLinkHref('configuration.md')).toBeUndefined();
    expect(guideLinkHref('sandbox.md', '  ')).toBeUndefined();
  });
});
