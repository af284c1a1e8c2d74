import type { Results } from '../results/schema.js';
import { type Column, footnote, headerText, rowsOf, runColumns } from './columns.js';
import { failureDetails } from './failures.js';
import { fit } from './progress.js';
import { widthOf, wrap } from './wrap.js';

export { wrap } from './wrap.js';

export interface TerminalOptions {
  color: boolean;
  /** Columns available: the terminal's width, or 100 when stdout is not a terminal; unset (--wide): no limit. */
  width?: number;
}

/** The columns a table was asked for and was given no room for. */
export const WIDE_HINT = '--wide shows every column; --format markdown or --format json holds everything';
const GAP = '  ';
const paint = (on: boolean, code: number, text: string) => (on ? `\u001b[${code}m${text}\u001b[39m` : text);
const pad = (s: string, width: number, align: 'left' | 'right') => (align === 'right' ? ' '.repeat(width - widthOf(s)) + s : s + ' '.repeat(width - widthOf(s)));

/** A header split over two lines at the space that makes it narrowest, when that is narrower than its cells need. */
function headerLines(header: string, cellWidth: number): [string, string] {
  let best: [string, string] = [header, ''];
  if (widthOf(header) <= cellWidth) return best;
  const words = header.split(' ');
  for (let i = 1; i < words.length; i++) {
    const split: [string, string] = [words.slice(0, i).join(' '), words.slice(i).join(' ')];
    if (Math.max(...split.map(widthOf)) < Math.max(...best.map(widthOf))) best = split;
  }
  return best;
}

interface Laid {
  text: string;
  width: number;
}

/** How folding columns fold: not at all, cells past their `fold.max`, or every cell wider than its header (the last resort). */
type Fold = 'none' | 'long' | 'all';

/** A cell's text: the column's own, or its compact form. */
type Cell<R> = (c: Column<R>, row: R) => string;
const fullCell = <R>(c: Column<R>, row: R) => c.value(row);

function layout<R>(columns: Column<R>[], rows: R[], opts: TerminalOptions, fold: Fold, cut = Infinity, cell: Cell<R> = fullCell): Laid {
  const notes = new Map<string, number>();
  const ref = (text: string) => {
    if (!notes.has(text)) notes.set(text, notes.size + 1);
    return `[${notes.get(text)}]`;
  };
  // Row by row, so the footnotes are numbered in reading order.
  const cells = rows.map((row) =>
    columns.map((c) => {
      const text = c.shrink ? fit(cell(c, row), cut) : cell(c, row);
      const max = fold === 'all' ? Math.max(4, widthOf(headerText(c))) : (c.fold?.max ?? Infinity);
      if (fold === 'none' || !c.fold || widthOf(text) <= max) return text;
      return (c.fold.parts?.(row) ?? [text]).map(ref).join(' ');
    }),
  );
  const cellWidths = columns.map((_, i) => Math.max(0, ...cells.map((r) => widthOf(r[i]!))));
  const heads = columns.map((c, i) => headerLines(headerText(c), cellWidths[i]!));
  const widths = columns.map((_, i) => Math.max(cellWidths[i]!, ...heads[i]!.map(widthOf)));
  const total = widths.reduce((a, b) => a + b, 0) + GAP.length * (columns.length - 1);
  const line = (values: string[]) => values.map((v, i) => pad(v, widths[i]!, columns[i]!.align)).join(GAP).trimEnd();
  const out = [paint(opts.color, 36, line(heads.map((h) => h[0])))];
  if (heads.some((h) => h[1])) out.push(paint(opts.color, 36, line(heads.map((h) => h[1]))));
  out.push(paint(opts.color, 90, '─'.repeat(total)));
  for (const row of cells) out.push(line(row));
  for (const [text, n] of notes) out.push(wrap(`[${n}] ${text}`, opts.width, ' '.repeat(`[${n}] `.length)));
  return { text: out.join('\n'), width: total };
}

/**
 * A column spec's table for a terminal: a header, one rule under it, no rules between rows. When it is wider
 * than `width`, long cells of folding columns become numbered footnotes, and when it is still too wide, the
 * columns give way in their `drop` order: left out, or, at their `compact.drop`, shown in their compact form
 * (undone at the end where a later step made room for the full cells again). A line says which columns were
 * left out and how to see them; if it is still too wide, every folding cell wider than its header becomes a
 * footnote (earlier for a column whose `fold.all` names its step in the order).
 */
export function terminalTable<R>(columns: Column<R>[], rows: R[], opts: TerminalOptions): string {
  let shown = columns;
  let laid = layout(shown, rows, opts, 'none');
  if (opts.width === undefined || laid.width <= opts.width) return laid.text;
  const width = opts.width;
  laid = layout(shown, rows, opts, 'long');
  // A free-text column gives up width first, down to 24 characters.
  const shrinking = shown.find((c) => c.shrink);
  let cut = Infinity;
  if (shrinking && laid.width > width) {
    const full = Math.max(widthOf(headerText(shrinking)), ...rows.map((r) => widthOf(shrinking.value(r))));
    cut = Math.max(24, full - (laid.width - width));
    laid = layout(shown, rows, opts, 'long', cut);
  }
  const compacted = new Set<Column<R>>();
  const cell: Cell<R> = (c, row) => (compacted.has(c) ? c.compact!.value(row) : c.value(row));
  let fold: Fold = 'long';
  const steps = [
    ...columns.filter((c) => c.drop !== undefined).map((column) => ({ column, at: column.drop!, kind: 'drop' as const })),
    ...columns.filter((c) => c.compact).map((column) => ({ column, at: column.compact!.drop, kind: 'compact' as const })),
    ...columns.filter((c) => c.fold?.all !== undefined).map((column) => ({ column, at: column.fold!.all!, kind: 'fold' as const })),
  ].sort((a, b) => a.at - b.at);
  while (laid.width > width && steps.length > 0) {
    const step = steps.shift()!;
    if (step.kind === 'compact') compacted.add(step.column);
    else if (step.kind === 'fold') fold = 'all';
    else shown = shown.filter((c) => c !== step.column);
    laid = layout(shown, rows, opts, fold, cut, cell);
  }
  // The column compacted last gets its full cells back first, where they fit now.
  for (const column of [...compacted].reverse()) {
    compacted.delete(column);
    const full = layout(shown, rows, opts, fold, cut, cell);
    if (full.width <= width) laid = full;
    else compacted.add(column);
  }
  // Still too wide with every droppable column gone: even short cells of the folding columns become footnotes.
  if (laid.width > width) laid = layout(shown, rows, opts, 'all', cut, cell);
  const left = columns.filter((c) => !shown.includes(c)).map((c) => c.header);
  if (left.length === 0) return laid.text;
  return `${laid.text}\n${wrap(`Not shown at ${width} columns: ${left.join(', ')} (${WIDE_HINT}).`, width)}`;
}

/** The comparison table for a terminal. Colour only when asked for. */
export function renderTerminal(results: Results, options: TerminalOptions): string {
  const failures = failureDetails(results, '    ', options.width);
  const rows = rowsOf(results);
  return `${terminalTable(runColumns(rows), rows, options)}\n${wrap(footnote(results), options.width)}\n${failures ? `\n${failures}\n` : ''}`;
}
