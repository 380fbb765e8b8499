// Rule py/tls-disabled outside calls: `verify=False`, `cert_reqs`/`verify_mode` CERT_NONE, unverified contexts.
import type { SyntaxNode } from '@kode/lang';
import { PythonCallRules } from './call-rules.js';
import type { Place } from './model.js';
import { assignedValue, isStringLiteralWithoutInterpolation, stringContent } from './syntax.js';
import { HTTP_SESSION_FACTORIES, UNVERIFIED_CONTEXT } from './targets.js';

export class PythonTlsRules extends PythonCallRules {
  /** `verify=False` / `verify_ssl=False` in any call; `cert_reqs=ssl.CERT_NONE`. */
  protected checkKeywordArgument(node: SyntaxNode): void {
    const name = node.childForFieldName('name')?.text;
    const value = node.childForFieldName('value');
    if (value === null) return;
    // A decorator's `verify=False` configures the decorated function (numpy's array_function_dispatch), not TLS.
    const isDecorator = node.parent?.parent?.parent?.type === 'decorator';
    if ((name === 'verify' || name === 'verify_ssl') && value.type === 'false' && !isDecorator) {
      this.report('py/tls-disabled', node);
    }
    if (name === 'cert_reqs' && isCertNone(value)) this.report('py/tls-disabled', node);
  }

  /** Any reference to ssl._create_unverified_context, called or not. */
  protected checkAttribute(node: SyntaxNode, place: Place): void {
    if (node.childForFieldName('attribute')?.text !== '_create_unverified_context') return;
    if (this.resolveNames(node, place, 0).includes(UNVERIFIED_CONTEXT)) this.report('py/tls-disabled', node);
  }

  /** `ctx.verify_mode = ssl.CERT_NONE`, `session.verify = False`, `x = _create_unverified_context` (from-imported). */
  protected checkAssignment(node: SyntaxNode, place: Place): void {
    if (!this.mentionsVerify && !this.mentionsUnverifiedContext) return;
    const left = node.childForFieldName('left');
    const right = assignedValue(node);
    if (left === null || right === null) return;
    const unverified = this.mentionsUnverifiedContext && right.type === 'identifier';
    if (unverified && this.resolveNames(right, place, 0).includes(UNVERIFIED_CONTEXT)) {
      this.report('py/tls-disabled', right);
    }
    if (left.type !== 'attribute') return;
    const attribute = left.childForFieldName('attribute')?.text;
    const object = left.childForFieldName('object');
    // `self.verify_mode = CERT_NONE` inside a class is that class's own default (urllib3's stand-in SSLContext); on
    // any other receiver it switches verification off.
    if (attribute === 'verify_mode' && isCertNone(right) && object?.text !== 'self') {
      this.report('py/tls-disabled', node);
    }
    if (attribute === 'verify' && right.type === 'false' && object !== null && this.isHttpSession(object, place)) {
      this.report('py/tls-disabled', node);
    }
  }

  /** `session`, `self.client`, or a variable assigned `requests.Session()` / `httpx.Client()`. */
  private isHttpSession(object: SyntaxNode, place: Place): boolean {
    const name = object.type === 'attribute' ? object.childForFieldName('attribute')?.text : object.text;
    if (name !== undefined && /(?:session|client)$/i.test(name) && name.length <= 64) return true;
    if (object.type !== 'identifier') return false;
    const writes = this.reachingWrites(object.text, place) ?? [];
    return writes.some((write) => {
      if (write.kind !== 'assign' || write.value.type !== 'call') return false;
      const callee = write.value.childForFieldName('function');
      return (
        callee !== null &&
        this.resolveNames(callee, write.place, 0).some((target) => HTTP_SESSION_FACTORIES.has(target))
      );
    });
  }
}

/** `ssl.CERT_NONE`, a from-imported `CERT_NONE`, or the string `"CERT_NONE"` urllib3 accepts. */
function isCertNone(value: SyntaxNode): boolean {
  if (value.type === 'attribute') return value.childForFieldName('attribute')?.text === 'CERT_NONE';
  if (value.type === 'identifier') return value.text === 'CERT_NONE';
  return isStringLiteralWithoutInterpolation(value) && stringContent(value) === 'CERT_NONE';
}
