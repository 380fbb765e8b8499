// Typed readers over yargs' parsed arguments. yargs' own generics get unwieldy across a command
// registry, so each command reads what it declared through these checked accessors.
export type ParsedArgs = Readonly<Record<string, unknown>>;

export function stringArg(args: ParsedArgs, name: string): string | undefined {
  const value = args[name];
  return typeof value === 'string' ? value : undefined;
}

export function booleanArg(args: ParsedArgs, name: string): boolean {
  return args[name] === true;
}

export function numberArg(args: ParsedArgs, name: string): number | undefined {
  const value = args[name];
  return typeof value === 'number' && !Number.isNaN(value) ? value : undefined;
}
