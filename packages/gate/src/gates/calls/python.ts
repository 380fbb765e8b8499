// Python rules of the calls gate (SPEC §4.8).
import type { CallCheckOptions, CallProblem } from './types.js';

export function checkPythonCalls(options: CallCheckOptions): CallProblem[] {
  void options;
  return [];
}
