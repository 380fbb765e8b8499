// One problem a language's calls check found. `key` identifies it regardless of line, so a problem the pre-image
// already has is not blamed on the patch (§4.0).
import type { FileSymbols } from '@kode/lang';
import type { ProjectView } from './project-view.js';

export interface CallProblem {
  readonly line: number;
  readonly column: number;
  /** e.g. `'formatUsers' is not exported by ./user/format.ts; did you mean 'formatUser'?` */
  readonly text: string;
}

export interface CallCheckOptions {
  /** Project-relative path of the file checked. */
  readonly path: string;
  readonly symbols: FileSymbols;
  readonly view: ProjectView;
}

export type CallChecker = (options: CallCheckOptions) => CallProblem[];
