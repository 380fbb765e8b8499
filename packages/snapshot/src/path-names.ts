// Name-level rules of path safety: git's `.git` spellings (verify_path / is_ntfs_dotgit / is_hfs_dotgit) and the
// names Windows reserves. Kept apart from the filesystem walk so they can be applied to journals and patches alike.

// Characters HFS+ ignores when comparing names (git's next_hfs_char list) plus other default-ignorable code points
// that render invisibly; `.g\u200cit` must be treated as `.git`.
const ignorableCharacters = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u206a-\u206f\ufeff]/gu;

/** Folds a component the way case-insensitive, dot/space-trimming filesystems (NTFS, HFS+, APFS) compare it. */
export function foldComponent(component: string): string {
  return component
    .replace(ignorableCharacters, '')
    .toLowerCase()
    .replace(/[. ]+$/u, '');
}

export function isDotGitComponent(component: string): boolean {
  const folded = foldComponent(component);
  return folded === '.git' || folded === 'git~1';
}

const windowsReservedNames = new Set([
  'con',
  'prn',
  'aux',
  'nul',
  'conin$',
  'conout$',
  ...['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '¹', '²', '³'].flatMap((digit) => [
    `com${digit}`,
    `lpt${digit}`,
  ]),
]);

/** `CON`, `nul.txt`, `COM1 .md`: the part before the first dot, trailing spaces dropped, compared case-insensitively. */
export function isWindowsReservedName(component: string): boolean {
  const base = component.split('.')[0]?.replace(/ +$/u, '').toLowerCase() ?? '';
  return windowsReservedNames.has(base);
}

/**
 * Rules that need no filesystem access. Returns the reason the path is unsafe, or undefined. Reasons quote the path
 * so the gate can print `path_safety: Unsafe path (<reason>)`.
 */
export function checkPathSyntax(path: string): string | undefined {
  const quoted = JSON.stringify(path);
  if (path === '') return 'the path is empty';
  if (path.includes('\0')) return `${quoted} contains a NUL byte`;
  if (/[\r\n]/u.test(path)) return `${quoted} contains a line break`;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this rejects
  if (/[\u0001-\u001f\u007f]/u.test(path)) return `${quoted} contains a control character`;
  if (Buffer.byteLength(path, 'utf8') > 4096) return `${quoted} is longer than 4096 bytes`;
  if (/^[a-z][a-z0-9+.-]*:\/\//iu.test(path)) return `${quoted} has a URL scheme`;
  if (path.startsWith('\\\\') || path.startsWith('//')) return `${quoted} is a UNC path`;
  if (/^[a-z]:/iu.test(path)) return `${quoted} is a drive path`;
  if (path.startsWith('/')) return `${quoted} is absolute`;
  if (path.startsWith('~')) return `${quoted} starts with ~ (nothing is expanded)`;
  if (path.includes('\\')) return `${quoted} uses \\ separators (use /)`;
  if (/%[0-9a-f]{2}/iu.test(path)) return `${quoted} contains a percent-encoded sequence (nothing is decoded)`;
  if (path === '.') return `${quoted} is the project root`;
  if (path.endsWith('/')) return `${quoted} ends with /`;
  const components = path.split('/');
  if (components.includes('..')) return `${quoted} escapes the project root`;
  for (const [index, component] of components.entries()) {
    if (component === '') return `${quoted} has an empty component`;
    if (component === '.') return `${quoted} has a "." component`;
    if (isDotGitComponent(component)) {
      return index === components.length - 1 ? `${quoted} targets a .git entry` : `${quoted} is inside .git/`;
    }
    if (component.includes(':')) return `${quoted} contains ":"`;
    if (isWindowsReservedName(component)) return `${quoted} uses the Windows-reserved name "${component}"`;
  }
  if (foldComponent(components[0] ?? '') === '.kode') return `${quoted} is inside .kode/`;
  return undefined;
}
