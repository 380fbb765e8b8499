// go/tls-disabled: `InsecureSkipVerify: true` in a composite literal or `x.InsecureSkipVerify = true`.
import { report } from './context.js';
import type { Context, TreeCursor } from './context.js';
import { fieldAt, forEachNamedChild, inField, typeAt } from './cursor.js';

/** `InsecureSkipVerify: true` in a composite literal, `x.InsecureSkipVerify = true` in an assignment. */
export function checkTls(context: Context, cursor: TreeCursor): void {
  const probe = context.probe;
  probe.resetTo(cursor);
  if (typeAt(probe) === 'identifier') {
    // keyed_element > key: literal_element > identifier
    if (!probe.gotoParent() || typeAt(probe) !== 'literal_element') return;
    const keyField = fieldAt(probe);
    if (!probe.gotoParent() || typeAt(probe) !== 'keyed_element' || keyField !== 'key') return;
    const element = probe.startPosition;
    const isTrue = inField(probe, 'value', (value) => {
      if (typeAt(value) === 'true') return true;
      if (typeAt(value) !== 'literal_element') return false;
      let inner = '';
      const count = forEachNamedChild(value, (child) => {
        inner = typeAt(child);
      });
      return count === 1 && inner === 'true';
    });
    if (isTrue === true) report(context, 'go/tls-disabled', element);
    return;
  }
  if (fieldAt(probe) !== 'field' || !probe.gotoParent() || typeAt(probe) !== 'selector_expression') return;
  const target = probe.startIndex;
  const targetPosition = probe.startPosition;
  if (!probe.gotoParent() || typeAt(probe) !== 'expression_list' || fieldAt(probe) !== 'left') return;
  if (!probe.gotoParent() || typeAt(probe) !== 'assignment_statement') return;
  if (inField(probe, 'operator', (operator) => typeAt(operator)) !== '=') return;
  let position = -1;
  inField(probe, 'left', (left) =>
    forEachNamedChild(left, (child, index) => {
      if (child.startIndex === target) position = index;
    }),
  );
  let isTrue = false;
  inField(probe, 'right', (right) =>
    forEachNamedChild(right, (child, index) => {
      if (index === position) isTrue = typeAt(child) === 'true';
    }),
  );
  if (isTrue) report(context, 'go/tls-disabled', targetPosition);
}
