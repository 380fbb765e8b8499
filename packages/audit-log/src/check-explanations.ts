// The canned content of `kode explain` (SPEC §6.6 table). Causes and fixes are kept as the table writes them,
// "; "-separated, and split once at load so the text here can be compared with the spec line by line.

export interface CheckExplanation {
  readonly title: string;
  /** One sentence, shown in bold under the title. */
  readonly description: string;
  readonly causes: readonly string[];
  readonly fixes: readonly string[];
}

/** The checks `kode explain` knows, in the order the spec lists them. */
export const CHECK_NAMES = [
  'syntax',
  'imports',
  'calls',
  'architecture',
  'diff_applier',
  'blast_radius',
  'security',
  'tdd',
  'schema',
  'path_safety',
  'critique',
  'tests',
] as const;

export type ExplainableCheck = (typeof CHECK_NAMES)[number];

const table: Readonly<Record<ExplainableCheck, { title: string; description: string; causes: string; fixes: string }>> =
  {
    syntax: {
      title: 'Syntax Errors',
      description: 'The proposed file does not parse.',
      causes:
        'truncated or incomplete model output; unbalanced brackets or quotes; bad indentation in Python; code written in the wrong language or dialect',
      fixes:
        "regenerate with the file's language named in the task; read the reported line:col; ask for smaller hunks; make sure the anchor covers whole statements",
    },
    imports: {
      title: 'Unresolvable Imports',
      description: 'An import names a package, module or file that does not exist in this project.',
      causes:
        'hallucinated package name; misspelled path or wrong extension; dependency used but not declared or installed; alias not in tsconfig `paths`',
      fixes:
        'check the manifest and lockfile; install and declare the dependency (`npm i x`, `cargo add x`, `go get x`, add to pyproject); reuse an existing import; fix the path',
    },
    calls: {
      title: 'Missing Symbols or Wrong Arity',
      description:
        'Code calls or imports a project symbol that does not exist or passes the wrong number of arguments.',
      causes:
        "hallucinated function or export; renamed symbol; stale signature in the model's context; private item used from outside",
      fixes:
        'include the target file in the context (`kode plan --packet`); check the real signature; export the symbol if intended; regenerate with more context',
    },
    architecture: {
      title: 'Architecture Violations',
      description: 'The patch crosses a configured module boundary or creates an import cycle.',
      causes:
        'forbidden layer import; new circular dependency; internal package used from outside; a rule that no longer matches the design',
      fixes:
        'route through the allowed layer; move code; introduce an interface; update `architecture.rules` if the design changed',
    },
    diff_applier: {
      title: 'Patch Could Not Be Applied',
      description: "The edit's anchor or context does not match the file.",
      causes:
        'file changed since the model saw it; anchor copied with wrong whitespace; anchor repeated; binary or non-UTF-8 file',
      fixes:
        're-run `kode plan` and regenerate; avoid editing files while Kode runs; ask for longer, unique anchors; use files mode for whole-file rewrites',
    },
    blast_radius: {
      title: 'Blast Radius Exceeded',
      description: 'The patch touches or affects more files than `engine.max_blast_radius` allows.',
      causes: 'changing an exported signature used widely; bundling unrelated changes; renaming public APIs',
      fixes:
        'change internals first, callers in a separate patch; keep the old signature as a wrapper; split the task; raise `engine.max_blast_radius` deliberately',
    },
    security: {
      title: 'Security Findings',
      description: 'The patch adds a secret or dangerous code.',
      causes:
        'hard-coded keys or passwords; shell commands built from input; SQL built by concatenation; TLS checks disabled; unsafe deserialisation',
      fixes:
        'move secrets to environment variables; pass arguments as arrays; use parameterised queries; keep TLS verification on; suppress a reviewed false positive with `kode-ignore: <rule-id>`',
    },
    tdd: {
      title: 'TDD Mode',
      description: 'Production code changed without a test file in the patch.',
      causes: 'model wrote only the implementation; test naming not recognised; task is not testable',
      fixes:
        'ask for the test in the same task; follow the test naming patterns; turn off `engine.tdd_mode` only for projects without tests',
    },
    schema: {
      title: 'Invalid Patch Format',
      description: 'The model reply or a hunk is not a valid patch.',
      causes: 'prose instead of JSON; wrong action name; missing anchor or file path; output cut off',
      fixes:
        'use a model that follows instructions; try `--edit-format search-replace`; lower the task size; check `small_model`',
    },
    path_safety: {
      title: 'Unsafe Path',
      description: 'A hunk targets a path outside the project, through a symlink, or in a protected location.',
      causes: 'absolute or `../` paths; symlinked directories; edits to `.git/`, `.kode/` or CI workflows',
      fixes:
        'use project-relative paths; edit the symlink target inside the project; remove the path from `engine.protected_paths` if the edit is intended',
    },
    critique: {
      title: 'Critique Rejection',
      description: 'A review rule rejected the patch before verification.',
      causes: 'undeclared dependency; tests deleted or skipped; test harness changed without approval',
      fixes: 'declare dependencies in the manifest; keep tests; approve harness changes interactively or with `--yes`',
    },
    tests: {
      title: 'Tests Failed',
      description: 'The test command failed after the patch was applied; the change was rolled back.',
      causes: 'behaviour change; missing test fixture; flaky or slow tests; wrong test command',
      fixes:
        'read the output tail in the result; run the tests yourself; raise `engine.test_timeout_s`; fix `engine.test_command`',
    },
  };

export const CHECK_EXPLANATIONS: Readonly<Record<string, CheckExplanation>> = Object.freeze(
  Object.fromEntries(
    CHECK_NAMES.map((name) => {
      const { title, description, causes, fixes } = table[name];
      const explanation: CheckExplanation = {
        title,
        description,
        causes: Object.freeze(causes.split('; ')),
        fixes: Object.freeze(fixes.split('; ')),
      };
      return [name, Object.freeze(explanation)];
    }),
  ),
);
