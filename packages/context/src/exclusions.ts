// Which files the index (and so every context packet) never reads (SPEC §8.1, §8.12): vendored and generated
// folders, Kode's and git's own directories, and secret-bearing files.
const SECRET_BEARING = [
  /(^|\/)\.env[^/]*$/u,
  /\.(pem|key|p12)$/u,
  /(^|\/)id_(rsa|ed25519)[^/]*$/u,
  /(^|\/)(\.npmrc|\.pypirc|\.netrc|\.git-credentials|credentials\.json)$/u,
];
const SKIPPED_DIRECTORIES = /(^|\/)(\.git|\.kode|node_modules|vendor|target|dist|build|\.venv|venv|__pycache__)(\/|$)/u;

/** True for paths no prompt may contain and no index covers. */
export function isExcludedFromContext(path: string): boolean {
  return SKIPPED_DIRECTORIES.test(path) || SECRET_BEARING.some((pattern) => pattern.test(path));
}
