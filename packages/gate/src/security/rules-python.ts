// Python dangerous-code rules of the security gate (SPEC §4.10): py/eval, py/shell-exec, py/sql-concat,
// py/tls-disabled and py/unsafe-deserialization, decided on the tree-sitter-python tree (the raw text is only
// consulted to skip collecting node kinds whose trigger words do not occur in the file at all).
//
// Calls are judged by what they really call: names go through imports (`import subprocess as sp`,
// `from pickle import loads`), plain aliases (`run = subprocess.run`) and the usual evasions (`__import__("os")`,
// `getattr(os, "system")`, `sys.modules["os"]`). Local variables are followed to the assignments that reach the call,
// so `os.system(CLEAR)` with a constant stays quiet while `sql = f"...{x}"` then `cur.execute(sql)` is caught.
//
// Linear time: one native `descendantsOfType` pass collects the nodes of interest, scopes and blocks come from an
// interval sweep over them (no `.parent` walks, which tree-sitter answers by descending from the root), and every
// variable's value is analysed once (memoised, cycles cut) with a bounded recursion depth.
import type { SyntaxNode } from '@kode/lang';
import { PythonTlsRules } from './python/tls-rules.js';
import type { SecurityFinding } from './types.js';

/** Dangerous-code findings in one Python file (py/eval, py/shell-exec, py/sql-concat, py/tls-disabled, py/unsafe-deserialization). */
export function scanPython(root: SyntaxNode): SecurityFinding[] {
  return new PythonScan(root).run();
}

class PythonScan extends PythonTlsRules {
  run(): SecurityFinding[] {
    this.collect();
    for (const { node, place } of this.checks) {
      switch (node.type) {
        case 'call':
          this.checkCall(node, place);
          break;
        case 'keyword_argument':
          this.checkKeywordArgument(node);
          break;
        case 'attribute':
          this.checkAttribute(node, place);
          break;
        case 'assignment':
          this.checkAssignment(node, place);
          break;
        case 'exec_statement': {
          const code = node.childForFieldName('code');
          if (code !== null && !this.isSafe(code, place, 0)) this.report('py/eval', node);
          break;
        }
        default:
          break;
      }
    }
    return this.sortedUniqueFindings();
  }
}
