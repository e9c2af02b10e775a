/** Every command that prints data prints either JSON (`--json`) or a short human text. */
export function printResult(json: boolean, data: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

export function fail(message: string): never {
  process.stderr.write(`shirube: ${message}\n`);
  process.exit(1);
}
