import { describe, expect, it } from 'vitest';
import { changed, findingsOf } from './critique.test-helpers.js';
import type { CritiqueFile } from './critique.js';

const tampering = (...files: CritiqueFile[]) => findingsOf({ lens: 'test-tampering', files });
const messages = async (...files: CritiqueFile[]) => (await tampering(...files)).map((finding) => finding.message);

// Markers a tampering patch would add, spelled in parts so no tool mistakes them for focused or skipped tests here.
const FOCUS = ['it', 'only'].join('.');
const SKIP = ['it', 'skip'].join('.');
const X_IT = ['x', 'it'].join('');
const DESCRIBE_SKIP = ['describe', 'skip'].join('.');

const TS_TEST = `import { describe, expect, it } from 'vitest';
import { add, divide } from './math.js';

describe('math', () => {
  it('adds', () => {
    expect(add(1, 2)).toBe(3);
  });

  it('divides', () => {
    // expect(divide(1, 0)).toBe(0) was the old behaviour
    expect(divide(6, 3)).toBe(2);
    expect(() => divide(1, 0)).toThrow('division by zero');
  });
});
`;

const PY_TEST = `import pytest

from app.models import User


def test_user_name():
    user = User(name="ada")
    assert user.name == "ada", "name should round-trip"


class TestUserEmail:
    def test_email_is_lowercased(self):
        user = User(name="ada", email="ADA@X.IO")
        assert user.email == "ada@x.io"

    def test_rejects_empty_email(self):
        with pytest.raises(ValueError):
            User(name="ada", email="")
`;

const RUST_LIB = `pub fn parse_port(text: &str) -> Option<u16> {
    let port: u16 = text.parse().ok()?;
    assert!(port != 0, "port zero is reserved");
    Some(port)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_port() {
        assert_eq!(parse_port("8080"), Some(8080));
    }

    #[test]
    fn rejects_text() {
        assert_eq!(parse_port("http"), None);
    }
}
`;

const GO_TEST = `package config

import "testing"

func TestLoad(t *testing.T) {
	cfg, err := Load("testdata/app.toml")
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if cfg.Port != 8080 {
		t.Errorf("port = %d, want 8080", cfg.Port)
	}
}

func TestDefaults(t *testing.T) {
	if Default().Port != 80 {
		t.Error("default port should be 80")
	}
}
`;

describe('test-tampering lens: TypeScript', () => {
  it('rejects removing a test case and its assertions, naming the file and hunks', async () => {
    const after = TS_TEST.replace(/\n {2}it\('divides'[\s\S]*?\n {2}\}\);\n/u, '\n');
    const file = changed('src/math.test.ts', TS_TEST, after, ['hunk-3']);
    expect(await tampering(file)).toEqual([
      {
        lens: 'test-tampering',
        severity: 'error',
        message: 'removes test cases (3 -> 2) and assertions (3 -> 1) from src/math.test.ts without replacement',
        file: 'src/math.test.ts',
        hunk_ids: ['hunk-3'],
      },
    ]);
  });

  it('rejects removing a single assertion', async () => {
    const after = TS_TEST.replace("    expect(() => divide(1, 0)).toThrow('division by zero');\n", '');
    expect(await messages(changed('src/math.test.ts', TS_TEST, after))).toEqual([
      'removes assertions (3 -> 2) from src/math.test.ts without replacement',
    ]);
  });

  // The markers are test data (what a tampering patch would add), spelled in parts so no tool mistakes them for a
  // focused or skipped test of this suite.
  it.each([
    [`${FOCUS}('adds'`, FOCUS],
    [`${SKIP}('adds'`, SKIP],
    [`${X_IT}('adds'`, X_IT],
    [`${SKIP}If(process.env.CI)('adds'`, `${SKIP}If`],
  ])('rejects adding %s', async (replacement, marker) => {
    const after = TS_TEST.replace("it('adds'", replacement);
    expect(await messages(changed('src/math.test.ts', TS_TEST, after))).toEqual([`adds ${marker} to src/math.test.ts`]);
  });

  it('rejects describe.skip and xdescribe in a __tests__ directory', async () => {
    const path = 'src/__tests__/math.ts';
    expect(
      await messages(changed(path, TS_TEST, TS_TEST.replace("describe('math'", `${DESCRIBE_SKIP}('math'`))),
    ).toEqual([`adds describe.skip to ${path}`]);
    expect(
      await messages(
        changed(path, TS_TEST, TS_TEST.replace("describe('math'", `${['x', 'describe'].join('')}('math'`)),
      ),
    ).toEqual([`adds xdescribe to ${path}`]);
  });

  it('does not blame a skip that was already there', async () => {
    const before = TS_TEST.replace("it('adds'", `${SKIP}('adds'`);
    const after = before.replace('});\n', "});\n\n  it('subtracts', () => {\n    expect(add(3, -1)).toBe(2);\n  });\n");
    expect(await tampering(changed('src/math.test.ts', before, after))).toEqual([]);
  });

  it('accepts adding a test, renaming an assertion message or editing a comment', async () => {
    const added = TS_TEST.replace(
      '\n});\n',
      "\n\n  it('adds negatives', () => {\n    expect(add(-1, -2)).toBe(-3);\n  });\n});\n",
    );
    const renamed = TS_TEST.replace("toThrow('division by zero')", "toThrow('cannot divide: assert it(0)')");
    const comment = TS_TEST.replace('    // expect(divide(1, 0)).toBe(0) was the old behaviour\n', '');
    for (const after of [added, renamed, comment]) {
      expect(await tampering(changed('src/math.test.ts', TS_TEST, after))).toEqual([]);
    }
  });

  it('ignores production code, even when it calls something named test', async () => {
    const before = 'export const ok = (s: string) => /x/.test(s);\nexport function test(v: number) { assert(v); }\n';
    expect(await tampering(changed('src/valid.ts', before, 'export const ok = () => true;\n'))).toEqual([]);
  });

  it('rejects deleting a whole test file, and accepts moving its tests to another file', async () => {
    expect(await messages(changed('src/math.test.ts', TS_TEST, null))).toEqual([
      'deletes test file src/math.test.ts (3 test cases, 3 assertions) without replacement',
    ]);
    expect(
      await tampering(changed('src/math.test.ts', TS_TEST, null), changed('test/math.spec.ts', null, TS_TEST)),
    ).toEqual([]);
  });

  it('accepts moving one test between test files of the same patch', async () => {
    const divides = /\n {2}it\('divides'[\s\S]*?\n {2}\}\);\n/u;
    const moved = divides.exec(TS_TEST)?.[0] ?? '';
    const other = "import { expect, it } from 'vitest';\nimport { divide } from './math.js';\n";
    expect(
      await tampering(
        changed('src/math.test.ts', TS_TEST, TS_TEST.replace(divides, '\n')),
        changed('src/divide.test.ts', other, other + moved),
      ),
    ).toEqual([]);
  });
});

describe('test-tampering lens: Python', () => {
  const path = 'tests/test_models.py';

  it('rejects removing a test function', async () => {
    const after = PY_TEST.replace(/\n {4}def test_rejects_empty_email[\s\S]*$/u, '\n');
    expect(await messages(changed(path, PY_TEST, after))).toEqual([
      `removes test cases (3 -> 2) and assertions (3 -> 2) from ${path} without replacement`,
    ]);
  });

  it('rejects weakening an assert', async () => {
    const after = PY_TEST.replace('        assert user.email == "ada@x.io"\n', '        user.email\n');
    expect(await messages(changed(path, PY_TEST, after))).toEqual([
      `removes assertions (3 -> 2) from ${path} without replacement`,
    ]);
  });

  it('rejects adding @pytest.mark.skip or pytest.skip(', async () => {
    const decorated = PY_TEST.replace('def test_user_name', '@pytest.mark.skip(reason="flaky")\ndef test_user_name');
    expect(await messages(changed(path, PY_TEST, decorated))).toEqual([`adds @pytest.mark.skip to ${path}`]);
    const called = PY_TEST.replace(
      '    user = User(name="ada")\n',
      '    pytest.skip("later")\n    user = User(name="ada")\n',
    );
    expect(await messages(changed('app/models_test.py', PY_TEST, called))).toEqual([
      'adds pytest.skip to app/models_test.py',
    ]);
  });

  it('accepts a new test and a reworded assert message', async () => {
    const added = `${PY_TEST}\n\ndef test_repr():\n    assert repr(User(name="x")) == "User('x')"\n`;
    const reworded = PY_TEST.replace('"name should round-trip"', '"assert: the name must round-trip"');
    for (const after of [added, reworded]) expect(await tampering(changed(path, PY_TEST, after))).toEqual([]);
  });
});

describe('test-tampering lens: Rust', () => {
  it('rejects removing an assertion inside #[cfg(test)] of a source file', async () => {
    const after = RUST_LIB.replace('        assert_eq!(parse_port("http"), None);\n', '');
    expect(await messages(changed('src/lib.rs', RUST_LIB, after))).toEqual([
      'removes assertions (2 -> 1) from src/lib.rs without replacement',
    ]);
  });

  it('rejects adding #[ignore]', async () => {
    const after = RUST_LIB.replace(
      '    #[test]\n    fn rejects_text',
      '    #[test]\n    #[ignore]\n    fn rejects_text',
    );
    expect(await messages(changed('src/lib.rs', RUST_LIB, after))).toEqual(['adds #[ignore] to src/lib.rs']);
  });

  it('does not count assert! in production code or text in strings and comments', async () => {
    const after = RUST_LIB.replace('    assert!(port != 0, "port zero is reserved");\n', '')
      .replace('"8080"', '"assert_eq!(x) #[test]"')
      .replace('    use super::*;\n', '    // #[test] assert!(false)\n    use super::*;\n');
    expect(await tampering(changed('src/lib.rs', RUST_LIB, after))).toEqual([]);
  });

  it('rejects removing a #[test] function from tests/', async () => {
    const before = `use portlib::parse_port;\n\n#[test]\nfn http() {\n    assert_eq!(parse_port("80"), Some(80));\n}\n\n#[tokio::test]\nasync fn https() {\n    assert!(parse_port("443").is_some());\n}\n`;
    const after = before.slice(0, before.indexOf('#[tokio::test]'));
    expect(await messages(changed('tests/ports.rs', before, after))).toEqual([
      'removes test cases (2 -> 1) and assertions (2 -> 1) from tests/ports.rs without replacement',
    ]);
  });
});

describe('test-tampering lens: Go', () => {
  const path = 'internal/config/config_test.go';

  it('rejects removing a test function or a t.Errorf check', async () => {
    const withoutDefaults = GO_TEST.slice(0, GO_TEST.indexOf('func TestDefaults'));
    expect(await messages(changed(path, GO_TEST, withoutDefaults))).toEqual([
      `removes test cases (2 -> 1) and assertions (3 -> 2) from ${path} without replacement`,
    ]);
    const unchecked = GO_TEST.replace(/\tif cfg\.Port != 8080 \{\n.*\n\t\}\n/u, '');
    expect(await messages(changed(path, GO_TEST, unchecked))).toEqual([
      `removes assertions (3 -> 2) from ${path} without replacement`,
    ]);
  });

  it('rejects adding t.Skip(', async () => {
    const after = GO_TEST.replace(
      'func TestDefaults(t *testing.T) {\n',
      'func TestDefaults(t *testing.T) {\n\tt.Skip("flaky")\n',
    );
    expect(await messages(changed(path, GO_TEST, after))).toEqual([`adds t.Skip to ${path}`]);
  });

  it('accepts a new test and a reworded failure message', async () => {
    const added = `${GO_TEST}\nfunc TestEmpty(t *testing.T) {\n\tif _, err := Load(""); err == nil {\n\t\tt.Fatal("want error")\n\t}\n}\n`;
    const reworded = GO_TEST.replace('"default port should be 80"', '"t.Error: default port"');
    for (const after of [added, reworded]) expect(await tampering(changed(path, GO_TEST, after))).toEqual([]);
  });
});
