// Strict JSON parsing with a position-accurate, Node-version-independent error message.
// JSON.parse's messages differ between Node 20 and 22 and carry only an offset; spec §5.9 wants
// `Unexpected token } at line 12 column 3`. On failure we re-scan the text with a small RFC 8259
// recogniser that stops at the first offending character.

export type JsonParseResult =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

const BYTE_ORDER_MARK = '\uFEFF';

// Internal control flow of the scanner only: parseJsonText turns it into a message, never rethrows it.
class JsonSyntaxProblem extends Error {
  constructor(
    readonly reason: string,
    readonly position: number | null,
  ) {
    super(reason);
  }
}

/** 1-based line and column (UTF-16 units) of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index += 1) {
    if (text.charCodeAt(index) === 0x0a) {
      line += 1;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function describeCharacter(character: string): string {
  const code = character.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? JSON.stringify(character) : character;
}

class Scanner {
  private offset = 0;

  constructor(private readonly text: string) {}

  scanDocument(): void {
    this.skipWhitespace();
    this.scanValue();
    this.skipWhitespace();
    if (this.offset < this.text.length) {
      throw new JsonSyntaxProblem('Unexpected non-whitespace character after JSON', this.offset);
    }
  }

  private unexpected(): JsonSyntaxProblem {
    if (this.offset >= this.text.length) return new JsonSyntaxProblem('Unexpected end of JSON input', null);
    const character = String.fromCodePoint(this.text.codePointAt(this.offset) ?? 0);
    return new JsonSyntaxProblem(`Unexpected token ${describeCharacter(character)}`, this.offset);
  }

  private peek(): string | undefined {
    return this.text[this.offset];
  }

  private expect(character: string): void {
    if (this.peek() !== character) throw this.unexpected();
    this.offset += 1;
  }

  private skipWhitespace(): void {
    while (this.offset < this.text.length && ' \t\n\r'.includes(this.text[this.offset] ?? '')) this.offset += 1;
  }

  private scanValue(): void {
    const character = this.peek();
    if (character === '{') this.scanObject();
    else if (character === '[') this.scanArray();
    else if (character === '"') this.scanString();
    else if (character === '-' || (character !== undefined && character >= '0' && character <= '9')) this.scanNumber();
    else if (character === 't') this.scanLiteral('true');
    else if (character === 'f') this.scanLiteral('false');
    else if (character === 'n') this.scanLiteral('null');
    else throw this.unexpected();
  }

  private scanLiteral(literal: string): void {
    for (const character of literal) this.expect(character);
  }

  private scanObject(): void {
    this.expect('{');
    this.skipWhitespace();
    if (this.peek() === '}') {
      this.offset += 1;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.peek() !== '"') throw this.unexpected();
      this.scanString();
      this.skipWhitespace();
      this.expect(':');
      this.skipWhitespace();
      this.scanValue();
      this.skipWhitespace();
      if (this.peek() === ',') {
        this.offset += 1;
        continue;
      }
      this.expect('}');
      return;
    }
  }

  private scanArray(): void {
    this.expect('[');
    this.skipWhitespace();
    if (this.peek() === ']') {
      this.offset += 1;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      this.scanValue();
      this.skipWhitespace();
      if (this.peek() === ',') {
        this.offset += 1;
        continue;
      }
      this.expect(']');
      return;
    }
  }

  private scanString(): void {
    this.expect('"');
    for (;;) {
      const character = this.peek();
      if (character === undefined) throw this.unexpected();
      if (character === '"') {
        this.offset += 1;
        return;
      }
      if (character.charCodeAt(0) < 0x20) {
        throw new JsonSyntaxProblem('Bad control character in string literal', this.offset);
      }
      if (character === '\\') {
        this.offset += 1;
        const escaped = this.peek();
        if (escaped === undefined) throw this.unexpected();
        if (escaped === 'u') {
          this.offset += 1;
          for (let digit = 0; digit < 4; digit += 1) {
            if (!/^[0-9a-fA-F]$/.test(this.peek() ?? '')) {
              if (this.peek() === undefined) throw this.unexpected();
              throw new JsonSyntaxProblem('Bad Unicode escape in string literal', this.offset);
            }
            this.offset += 1;
          }
          continue;
        }
        if (!'"\\/bfnrt'.includes(escaped)) {
          throw new JsonSyntaxProblem('Bad escaped character in string literal', this.offset);
        }
      }
      this.offset += 1;
    }
  }

  private scanDigits(): void {
    const start = this.offset;
    while (/^[0-9]$/.test(this.peek() ?? '')) this.offset += 1;
    if (this.offset === start) throw this.unexpected();
  }

  private scanNumber(): void {
    if (this.peek() === '-') this.offset += 1;
    if (this.peek() === '0') this.offset += 1;
    else this.scanDigits();
    if (this.peek() === '.') {
      this.offset += 1;
      this.scanDigits();
    }
    if (this.peek() === 'e' || this.peek() === 'E') {
      this.offset += 1;
      if (this.peek() === '+' || this.peek() === '-') this.offset += 1;
      this.scanDigits();
    }
  }
}

/** Where and why `text` is not JSON, or null if it is valid. */
export function findJsonSyntaxError(text: string): string | null {
  try {
    new Scanner(text).scanDocument();
    return null;
  } catch (error) {
    if (!(error instanceof JsonSyntaxProblem)) throw error;
    if (error.position === null) return error.reason;
    const { line, column } = lineAndColumn(text, error.position);
    return `${error.reason} at line ${line} column ${column}`;
  }
}

/** Parses strict JSON (a leading byte-order mark, which some Windows editors add, is ignored). */
export function parseJsonText(text: string): JsonParseResult {
  const source = text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(source) as unknown };
  } catch (error) {
    const native = error instanceof Error ? error.message : String(error);
    return { ok: false, message: findJsonSyntaxError(source) ?? native };
  }
}
