// The `blast_radius` pre-gate (SPEC §4.5). This build counts the files the patch touches; dependents of changed
// exported signatures join the radius once the repository index (@kode/context) exists.

export type BlastRadiusOutcome =
  | { readonly status: 'PASS'; readonly message: string; readonly details: string }
  | { readonly status: 'FAIL'; readonly message: string; readonly details: string };

export function checkBlastRadius(options: { files: readonly string[]; maxBlastRadius: number }): BlastRadiusOutcome {
  const radius = options.files.length;
  if (radius > options.maxBlastRadius) {
    return {
      status: 'FAIL',
      message: 'Blast radius check failed',
      details: `radius ${radius} > max ${options.maxBlastRadius}: touched ${options.files.join(', ')}`,
    };
  }
  return {
    status: 'PASS',
    message: 'Blast radius within limit',
    details: `radius ${radius} <= max ${options.maxBlastRadius}`,
  };
}
