// Aligned plain-text tables for vrrpctl: columns sized to their content, squeezed (with an ellipsis)
// when the table would not fit the terminal, colour applied after padding so ANSI codes never
// disturb the alignment.

export type CellStyle = 'green' | 'yellow' | 'red' | 'bold';

export interface Cell {
  text: string;
  style?: CellStyle;
  /** Shorter renderings, best first, used before cutting when the column is squeezed (`3 VIPs`). */
  shorter?: string[];
}

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** Columns that may be squeezed; lower orders are squeezed first. Omit for a column never cut. */
  squeeze?: { order: number; minWidth: number };
}

export interface TableOptions {
  /** Total width available, indent included. */
  width: number;
  color: boolean;
  /** Spaces before each line. */
  indent?: number;
  /** Spaces between columns. */
  gap?: number;
}

const ANSI_CODES: Record<CellStyle, string> = { green: '32', yellow: '33', red: '31', bold: '1' };
const ELLIPSIS = '…';

/** Display width, counting code points (vrrpctl prints names, addresses and numbers: no wide glyphs). */
export function displayWidth(text: string): number {
  return [...text].length;
}

/** Cuts `text` to `width` columns, marking the cut with an ellipsis. */
export function ellipsize(text: string, width: number): string {
  const characters = [...text];
  if (characters.length <= width) return text;
  if (width <= 0) return '';
  return characters.slice(0, width - 1).join('') + ELLIPSIS;
}

export function paint(text: string, style: CellStyle | undefined, color: boolean): string {
  if (!color || style === undefined || text === '') return text;
  return `\u001b[${ANSI_CODES[style]}m${text}\u001b[0m`;
}

/** Pads on the plain text, then paints, so colour codes neither count as width nor wrap the padding. */
function padAndPaint(
  text: string,
  width: number,
  align: 'left' | 'right',
  style: CellStyle | undefined,
  color: boolean,
): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  const painted = paint(text, style, color);
  return align === 'right' ? fill + painted : painted + fill;
}

function toCell(value: string | Cell): Cell {
  return typeof value === 'string' ? { text: value } : value;
}

/**
 * Column widths that fit `available`: columns are squeezed in their `order`, and within one order
 * the widest goes first. When nothing can give any more the table overflows rather than lose data.
 */
function fitWidths(columns: Column[], natural: number[], available: number): number[] {
  const widths = [...natural];
  let excess = widths.reduce((sum, width) => sum + width, 0) - available;
  const orders = [...new Set(columns.flatMap((column) => (column.squeeze ? [column.squeeze.order] : [])))];
  for (const order of orders.sort((a, b) => a - b)) {
    while (excess > 0) {
      let widest = -1;
      columns.forEach((column, i) => {
        if (column.squeeze?.order !== order || widths[i]! <= column.squeeze.minWidth) return;
        if (widest === -1 || widths[i]! > widths[widest]!) widest = i;
      });
      if (widest === -1) break;
      widths[widest]! -= 1;
      excess -= 1;
    }
  }
  return widths;
}

/** The cell's text, else its first shorter form that fits, else the text cut with an ellipsis. */
function fitCell(cell: Cell, width: number): string {
  if (displayWidth(cell.text) <= width) return cell.text;
  const shorter = cell.shorter?.find((text) => displayWidth(text) <= width);
  return shorter ?? ellipsize(cell.text, width);
}

/**
 * A squeezed column may end up wider than what it shows (cells fell back to a short form): shrink
 * every column to its content and hand the room back to cut columns, first-squeezed first. A few
 * rounds settle it; each round only moves width that is really free.
 */
function settleWidths(
  columns: Column[],
  cells: Cell[][],
  natural: number[],
  fitted: number[],
  available: number,
): number[] {
  let widths = fitted;
  const shrinkToContent = (): number[] =>
    columns.map((column, i) =>
      Math.max(
        displayWidth(column.header),
        ...cells.map((row) => displayWidth(fitCell(row[i] ?? { text: '' }, widths[i]!))),
      ),
    );
  const squeezable = columns
    .map((column, i) => ({ order: column.squeeze?.order, i }))
    .filter((entry): entry is { order: number; i: number } => entry.order !== undefined)
    .sort((a, b) => a.order - b.order);
  for (let round = 0; round < 3; round++) {
    widths = shrinkToContent();
    let slack = available - widths.reduce((sum, width) => sum + width, 0);
    if (slack <= 0) break;
    for (const { i } of squeezable) {
      const grant = Math.min(slack, natural[i]! - widths[i]!);
      widths[i]! += grant;
      slack -= grant;
    }
  }
  return shrinkToContent();
}

/** Renders header and rows as lines (no trailing spaces, no trailing newline). */
export function renderTable(columns: Column[], rows: (string | Cell)[][], options: TableOptions): string[] {
  const indent = ' '.repeat(options.indent ?? 0);
  const gap = options.gap ?? 2;
  const cells = rows.map((row) => row.map(toCell));
  const natural = columns.map((column, i) =>
    Math.max(displayWidth(column.header), ...cells.map((row) => displayWidth(row[i]?.text ?? ''))),
  );
  const available = options.width - indent.length - gap * (columns.length - 1);
  const widths = settleWidths(columns, cells, natural, fitWidths(columns, natural, available), available);

  const line = (row: Cell[]): string =>
    (
      indent +
      columns
        .map((column, i) => {
          const cell = row[i] ?? { text: '' };
          const width = widths[i]!;
          const shown = fitCell(cell, width);
          return padAndPaint(shown, width, column.align ?? 'left', cell.style, options.color);
        })
        .join(' '.repeat(gap))
    ).trimEnd();

  const header = columns.map((column) => ({ text: column.header, style: 'bold' as const }));
  return [line(header), ...cells.map(line)];
}
