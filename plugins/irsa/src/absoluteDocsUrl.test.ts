import { absoluteDocsUrl } from './absoluteDocsUrl';

describe('absoluteDocsUrl', () => {
  it.each([
    ['docs/troubleshooting.md#f3', undefined, 'docs/troubleshooting.md#f3'],
    ['docs/troubleshooting.md#f3', '  ', 'docs/troubleshooting.md#f3'],
    [
      'docs/troubleshooting.md#f3',
      'https://github.com/acme/backstage-irsa/blob/main',
      'https://github.com/acme/backstage-irsa/blob/main/docs/troubleshooting.md#f3',
    ],
    [
      '/docs/troubleshooting.md#p6',
      'https://github.com/acme/backstage-irsa/blob/main//',
      'https://github.com/acme/backstage-irsa/blob/main/docs/troubleshooting.md#p6',
    ],
    [
      'https://docs.example.com/irsa#f1',
      'https://github.com/acme/backstage-irsa/blob/main',
      'https://docs.example.com/irsa#f1',
    ],
  ])('joins %s onto base %s', (docsUrl, base, expected) => {
    expect(absoluteDocsUrl(docsUrl, base)).toBe(expected);
  });
});
