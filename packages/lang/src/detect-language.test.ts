import { describe, expect, it } from 'vitest';
import { detectLanguage } from './detect-language.js';

describe('detectLanguage', () => {
  it('maps every supported extension, including declaration files and upper case', () => {
    const expected: Record<string, string> = {
      'src/a.ts': 'typescript',
      'src/a.tsx': 'typescript',
      'src/a.mts': 'typescript',
      'src/a.cts': 'typescript',
      'types/index.d.ts': 'typescript',
      'lib/a.js': 'javascript',
      'lib/a.jsx': 'javascript',
      'lib/a.mjs': 'javascript',
      'lib/a.cjs': 'javascript',
      'app/models.py': 'python',
      'stubs/models.pyi': 'python',
      'src/main.rs': 'rust',
      'cmd/app/main.go': 'go',
      'C:\\work\\App.TS': 'typescript',
    };
    for (const [path, language] of Object.entries(expected)) expect(detectLanguage(path)).toBe(language);
  });

  it('returns null for other files, dotfiles and extensionless names', () => {
    for (const path of ['README.md', 'styles.css', 'Makefile', '.py', 'src/.eslintrc', 'a.json', 'a.rb']) {
      expect(detectLanguage(path)).toBeNull();
    }
  });
});
