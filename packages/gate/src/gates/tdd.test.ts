import { describe, expect, it } from 'vitest';
import { checkTdd, classifyFile } from './tdd.js';

const role = (path: string, preText: string | null = null, postText: string | null = 'x\n') =>
  classifyFile({ path, preText, postText });

describe('tdd classification (SPEC §4.4)', () => {
  it.each([
    ['src/a.test.ts', 'test'],
    ['src/a.spec.mjs', 'test'],
    ['src/__tests__/a.tsx', 'test'],
    ['src/a.ts', 'production'],
    ['tests/test_models.py', 'test'],
    ['app/models_test.py', 'test'],
    ['conftest.py', 'test'],
    ['tests/helpers.py', 'test'],
    ['app/models.py', 'production'],
    ['pkg/x_test.go', 'test'],
    ['pkg/x.go', 'production'],
    ['spec/user_spec.rb', 'test'],
    ['lib/user.rb', 'production'],
    ['tests/integration.rs', 'test'],
    ['README.md', 'other'],
    ['package.json', 'other'],
  ])('%s is %s', (path, expected) => {
    expect(role(path)).toBe(expected);
  });

  it('a Rust change inside #[cfg(test)] counts as test; inside and outside as both', () => {
    const pre = 'pub fn f() -> u32 { 1 }\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {}\n}\n';
    const testOnly = pre.replace('fn t() {}', 'fn t() { assert_eq!(super::f(), 1); }');
    expect(role('src/lib.rs', pre, testOnly)).toBe('test');
    const both = testOnly.replace('{ 1 }', '{ 2 }');
    expect(role('src/lib.rs', pre, both)).toBe('both');
    expect(role('src/lib.rs', pre, pre.replace('{ 1 }', '{ 2 }'))).toBe('production');
  });

  it('FAILs production files without a test file, listing them; tests or no code pass', () => {
    const file = (path: string) => ({ path, preText: null, postText: 'x\n' });
    expect(checkTdd([file('src/lib.rs'), file('src/parse.rs')])).toEqual({
      status: 'FAIL',
      message: 'TDD mode: write or modify a test file before modifying production code',
      details: 'production files without a test file in the patch: src/lib.rs, src/parse.rs',
    });
    expect(checkTdd([file('src/a.ts'), file('src/a.test.ts')]).status).toBe('PASS');
    expect(checkTdd([file('docs/x.md')]).status).toBe('PASS');
  });
});
