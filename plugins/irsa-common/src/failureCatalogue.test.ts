import fs from 'fs';
import path from 'path';
import {
  FAILURE_CATALOGUE,
  FAILURE_CODES,
  getFailure,
  isFailureCode,
  troubleshootingUrl,
} from './failureCatalogue';

const TROUBLESHOOTING = path.resolve(
  __dirname,
  '../../../docs/troubleshooting.md',
);

/** Anchors of level-2 headings, as GitHub builds them (lower case, spaces to hyphens). */
function headingAnchors(markdown: string): string[] {
  return [...markdown.matchAll(/^## (.+)$/gm)].map(m =>
    m[1]
      .trim()
      .toLocaleLowerCase('en-US')
      .replace(/[^a-z0-9 -]/g, '')
      .replace(/ /g, '-'),
  );
}

describe('failure catalogue', () => {
  it('has one entry per code, in code order', () => {
    expect(FAILURE_CATALOGUE.map(e => e.code)).toEqual([...FAILURE_CODES]);
    expect(new Set(FAILURE_CODES).size).toBe(FAILURE_CODES.length);
  });

  it('gives every entry a title, a meaning, a fix and its troubleshooting link', () => {
    for (const entry of FAILURE_CATALOGUE) {
      expect(entry.title.length).toBeGreaterThan(5);
      expect(entry.meaning).toMatch(/\.$/);
      expect(entry.fix).toMatch(/\.$/);
      expect(entry.docsUrl).toBe(
        `docs/troubleshooting.md#${entry.code.toLowerCase()}`,
      );
    }
  });

  it('is frozen, so no consumer can change a shipped code', () => {
    expect(Object.isFrozen(FAILURE_CATALOGUE)).toBe(true);
    expect(Object.isFrozen(FAILURE_CATALOGUE[0])).toBe(true);
    expect(Object.isFrozen(FAILURE_CODES)).toBe(true);
  });

  it('looks codes up', () => {
    expect(getFailure('S1').title).toBe(
      'Trust names the ServiceAccount, not only the audience',
    );
    expect(isFailureCode('F13')).toBe(false);
    expect(isFailureCode('F1')).toBe(true);
  });

  it('builds absolute links from a base', () => {
    expect(
      troubleshootingUrl(
        'F10',
        'https://github.com/acme/backstage-irsa/blob/main/',
      ),
    ).toBe(
      'https://github.com/acme/backstage-irsa/blob/main/docs/troubleshooting.md#f10',
    );
  });
});

describe('docs/troubleshooting.md', () => {
  const markdown = fs.readFileSync(TROUBLESHOOTING, 'utf8');
  const anchors = headingAnchors(markdown);

  it('has a section for every catalogue code', () => {
    const missing = FAILURE_CATALOGUE.filter(
      e => !anchors.includes(e.docsUrl.split('#')[1]),
    ).map(e => e.code);
    expect(missing).toEqual([]);
  });

  it('has no section for a code the catalogue lacks', () => {
    const codes = new Set(FAILURE_CATALOGUE.map(e => e.docsUrl.split('#')[1]));
    expect(anchors.filter(a => !codes.has(a))).toEqual([]);
  });

  it('states each check in the same words as the catalogue', () => {
    for (const entry of FAILURE_CATALOGUE) {
      const section = markdown
        .split(/^## /m)
        .find(s => s.startsWith(`${entry.code}\n`));
      expect(section).toContain(`**${entry.title}.**`);
    }
  });
});
