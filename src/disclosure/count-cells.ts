import type { Row } from './disclosure.types.js';

/** Why a cell was redacted, for the report. */
export type RedactionCause = 'area' | 'primary' | 'secondary';

/**
 * The exact counts of a table (never published) and which of them are hidden. A cell the input
 * already left null is hidden too: the reader cannot see it either, so secondary suppression must
 * treat it like a redacted cell, but it is not counted as redacted by us.
 */
export class CountCells {
  private readonly exactValues = new Map<string, (number | null)[]>();
  private readonly causes = new Map<string, (RedactionCause | undefined)[]>();

  readonly rowCount: number;

  constructor(
    rows: readonly Row[],
    readonly columns: readonly string[],
  ) {
    this.rowCount = rows.length;
    for (const column of columns) {
      this.exactValues.set(
        column,
        rows.map((row) => row[column] as number | null),
      );
      this.causes.set(column, new Array<RedactionCause | undefined>(rows.length).fill(undefined));
    }
  }

  exact(column: string, row: number): number | null {
    return this.column(this.exactValues, column)[row];
  }

  causeOf(column: string, row: number): RedactionCause | undefined {
    return this.column(this.causes, column)[row];
  }

  isHidden(column: string, row: number): boolean {
    return this.exact(column, row) === null || this.causeOf(column, row) !== undefined;
  }

  /** Redacts a cell; the first cause wins. Returns whether a value the input had is now hidden. */
  redact(column: string, row: number, cause: RedactionCause): boolean {
    if (this.isHidden(column, row)) return false;
    this.column(this.causes, column)[row] = cause;
    return true;
  }

  private column<T>(map: Map<string, T[]>, column: string): T[] {
    const values = map.get(column);
    if (!values) throw new Error(`disclosure control: "${column}" is not a count column`);
    return values;
  }
}
