// The bench's table, and the same figures as JSON (`--compare-scope` lays its own out with
// the same columns and numbers: compare-scope.ts). A target is judged on the median
// of the runs (memory on the largest run), as quoted figures on a shared machine should be.
import { spread, type Spread } from './stats.ts';

export interface Target {
  /** The figure must be at least (>=) or below (<, <=) this value. */
  relation: '>=' | '<' | '<=';
  value: number;
  on: 'median' | 'max';
  /** Names of the rows (CPU and statements per operation) that say where the time goes when missed. */
  whereTimeGoes?: string[];
}

export interface Figure {
  section: string;
  name: string;
  unit: string;
  runs: number[];
  target?: Target;
}

export interface JudgedFigure extends Figure, Spread {
  met?: boolean;
}

export function judge(figure: Figure): JudgedFigure {
  const summary = spread(figure.runs);
  if (!figure.target) return { ...figure, ...summary };
  const { relation, value, on } = figure.target;
  const actual = summary[on];
  const met = relation === '>=' ? actual >= value : relation === '<' ? actual < value : actual <= value;
  return { ...figure, ...summary, met };
}

export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '—';
  if (unit === 'ratio') return value.toFixed(2);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function withUnit(value: number, unit: string): string {
  return unit === 'ratio' ? formatValue(value, unit) : `${formatValue(value, unit)} ${unit}`;
}

function targetText(figure: JudgedFigure): string {
  if (!figure.target) return '';
  const { relation, value, on } = figure.target;
  const shown = relation === '>=' ? '≥' : relation === '<' ? '<' : '≤';
  return `${on === 'max' ? 'max ' : ''}${shown} ${formatValue(value, figure.unit)}  ${figure.met ? 'met' : 'MISSED'}`;
}

/**
 * One note per missed target: its median (or max) against the target, then the medians of
 * the rows it names, so a miss says where the time goes without reading the whole table.
 */
export function missedTargetNotes(figures: JudgedFigure[]): string[] {
  const byName = new Map(figures.map((figure) => [figure.name, figure]));
  return figures.filter((figure) => figure.target && figure.met === false).map((figure) => {
    const { on, whereTimeGoes = [] } = figure.target!;
    const quoted = whereTimeGoes.flatMap((name) => {
      const row = byName.get(name);
      return row && Number.isFinite(row.median) ? [`${name} ${withUnit(row.median, row.unit)}`] : [];
    });
    const missed = `MISSED ${figure.section} ${figure.name}: ${on} ${withUnit(figure[on], figure.unit)}, target ${targetText(figure).replace(/\s+MISSED$/, '')}`;
    return quoted.length ? `${missed}; where the time goes (median): ${quoted.join(', ')}` : missed;
  });
}

/** A table's lines: header, rule, rows, rule; the `numeric` columns right-aligned. */
export function columns(header: string[], rows: string[][], numeric: ReadonlySet<number>): string[] {
  const widths = header.map((_, column) => Math.max(header[column].length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  return [line(header), rule, ...rows.map(line), rule];
}

export function table(title: string[], figures: JudgedFigure[], notes: string[]): string {
  const header = ['', 'figure', 'unit', 'min', 'median', 'max', 'target'];
  let previous = '';
  const rows = figures.map((figure) => {
    const section = figure.section === previous ? '' : figure.section;
    previous = figure.section;
    return [
      section,
      figure.name,
      figure.unit,
      formatValue(figure.min, figure.unit),
      formatValue(figure.median, figure.unit),
      formatValue(figure.max, figure.unit),
      targetText(figure),
    ];
  });
  return [...title, '', ...columns(header, rows, new Set([3, 4, 5])), ...notes].join('\n');
}
