// RFC 6901 JSON pointers, the addresses every ConfigIssue uses.

export function escapePointerSegment(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((segment) => `/${escapePointerSegment(String(segment))}`).join('');
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** True when `pointer` addresses `ancestor` itself or something inside it. */
export function isPointerWithin(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}

/**
 * Dotted path of a config leaf for `sources` (`engine.test_command`). Keys that contain `.` or `[`
 * (model ids such as `openai/gpt-4.1` under `pricing`) are written `["…"]` so the path stays unambiguous.
 */
export function toDottedPath(segments: readonly string[]): string {
  let path = '';
  for (const segment of segments) {
    if (/[.[\]"]/.test(segment) || segment === '') path += `[${JSON.stringify(segment)}]`;
    else path += path === '' ? segment : `.${segment}`;
  }
  return path;
}
