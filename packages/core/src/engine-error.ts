// A precondition the engine checks before any model call (§3.0: exit 2, nothing sent, nothing written).
const marker = Symbol.for('kode.error.EngineError');

export class EngineError extends Error {
  readonly [marker] = true;
  readonly kind: 'input' | 'config';

  constructor(options: { kind: 'input' | 'config'; message: string }) {
    super(options.message);
    this.name = 'EngineError';
    this.kind = options.kind;
  }

  static isInstance(error: unknown): error is EngineError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
