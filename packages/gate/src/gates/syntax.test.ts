import { describe, expect, it } from 'vitest';
import { checkSyntax } from './syntax.js';

describe('syntax gate', () => {
  it('fails closed when the parser cannot finish (here: the run is aborted before the parse ends)', () => {
    const controller = new AbortController();
    controller.abort();
    const { draft } = checkSyntax({
      path: 'app/big.py',
      preText: null,
      postText: 'x = 1\n'.repeat(10_000),
      signal: controller.signal,
    });
    expect(draft.status).toBe('FAIL');
    expect(draft.line).toBe(1);
    expect(draft.message).toMatch(/^Syntax check did not finish: .* split it$/);
  });

  it('passes the same file when the parser finishes', () => {
    const { draft } = checkSyntax({ path: 'app/big.py', preText: null, postText: 'x = 1\n'.repeat(10_000) });
    expect(draft.status).toBe('PASS');
  });

  it('does not judge Go files the go tool ignores (testdata/, _ and . directories), but does judge the rest', () => {
    const broken = 'package p\n\nvar x = = 1\n';
    for (const path of ['go/types/testdata/check/decls.go', '_examples/x.go', 'pkg/.hidden/x.go']) {
      expect(checkSyntax({ path, preText: null, postText: broken }).draft.status).toBe('SKIPPED');
    }
    expect(checkSyntax({ path: 'pkg/testdata.go', preText: null, postText: broken }).draft.status).toBe('FAIL');
    expect(checkSyntax({ path: 'pkg/x.go', preText: null, postText: broken }).draft).toMatchObject({
      status: 'FAIL',
      line: 3,
    });
  });
});
