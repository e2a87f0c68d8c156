import fs from 'fs';
import path from 'path';

// The model must run in the browser and in Node with no framework: only the permission
// definitions may import a package (Backstage's permission-common, by convention).
const ALLOWED: Record<string, string[]> = {
  'permissions.ts': ['@backstage/plugin-permission-common'],
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === '__fixtures__' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')
      ? [full]
      : [];
  });
}

describe('package boundaries', () => {
  it('imports nothing but its own modules, apart from the permission definitions', () => {
    const offending = sourceFiles(__dirname).flatMap(file => {
      const relative = path.relative(__dirname, file);
      const text = fs.readFileSync(file, 'utf8');
      const specifiers = [...text.matchAll(/from '([^']+)'/g)].map(m => m[1]);
      return specifiers
        .filter(
          s => !s.startsWith('.') && !(ALLOWED[relative] ?? []).includes(s),
        )
        .map(s => `${relative}: ${s}`);
    });
    expect(offending).toEqual([]);
  });
});
