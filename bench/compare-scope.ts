// `--compare-scope`: what the two request-scope switches (src/db/request-scope.ts) pay, in
// one run. xacthuc as deployed and with each switch off run as three servers on identically
// seeded databases; each round measures every flow on each variant in turn, so the noise of a
// shared machine hits all three alike, and each figure is also given as a ratio to the
// default's figure of the same round.
import type { Throughput } from './figures.ts';
import { columns, formatValue } from './report.ts';
import { pairedRatios, spread, type Spread } from './stats.ts';

export interface ScopeVariant {
  name: string;
  /** The server's settings (config.ts `requestScope`): both given, whatever the bench's own environment says. */
  env: { DEFER_WRITES: 'true' | 'false'; READ_AHEAD: 'true' | 'false' };
}

/** The first is the default every other variant is compared with. */
export const SCOPE_VARIANTS: readonly ScopeVariant[] = [
  { name: 'default', env: { DEFER_WRITES: 'true', READ_AHEAD: 'true' } },
  { name: 'DEFER_WRITES=false', env: { DEFER_WRITES: 'false', READ_AHEAD: 'true' } },
  { name: 'READ_AHEAD=false', env: { DEFER_WRITES: 'true', READ_AHEAD: 'false' } },
];

export const COMPARED_FLOWS = ['sign-in', 'refresh', 'client-credentials'] as const;
export type ComparedFlow = (typeof COMPARED_FLOWS)[number];

/** Round by round, flow by flow, every variant in turn: round 1 sign-in A, B, C; refresh A, B, C; round 2 B, C, A; … */
export function interleave<Variant, Flow>(variants: readonly Variant[], flows: readonly Flow[], rounds: number): Array<{ round: number; flow: Flow; variant: Variant }> {
  return Array.from({ length: rounds }, (_, index) => index + 1)
    .flatMap((round) => flows.flatMap((flow) => rotated(variants, round - 1).map((variant) => ({ round, flow, variant }))));
}

/** Round 2 starts with the second variant, round 3 with the third: no variant always goes first. */
function rotated<T>(items: readonly T[], by: number): T[] {
  const start = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

/** Each variant's rounds of each flow, in the order measured. */
export type ScopeRuns = Record<string, Record<ComparedFlow, Throughput[]>>;

/** The figures compared, named as in the full bench's table. */
const FIGURES: ReadonlyArray<{ name: string; unit: string; flow: ComparedFlow; pick: (run: Throughput) => number }> = [
  { name: 'password sign-ins', unit: '/s', flow: 'sign-in', pick: (run) => run.perSecond },
  { name: 'refresh-token grants', unit: '/s', flow: 'refresh', pick: (run) => run.perSecond },
  { name: 'client-credentials grants', unit: '/s', flow: 'client-credentials', pick: (run) => run.perSecond },
  { name: 'sign-in: xacthuc event loop', unit: 'ms/op', flow: 'sign-in', pick: (run) => run.serverMainMs },
  { name: 'sign-in: xacthuc all threads', unit: 'ms/op', flow: 'sign-in', pick: (run) => run.serverTotalMs },
  { name: 'sign-in: PostgreSQL (local)', unit: 'ms/op', flow: 'sign-in', pick: (run) => run.databaseMs },
  { name: 'sign-in: statements', unit: '/op', flow: 'sign-in', pick: (run) => run.statements },
  { name: 'refresh: xacthuc event loop', unit: 'ms/op', flow: 'refresh', pick: (run) => run.serverMainMs },
  { name: 'refresh: xacthuc', unit: 'ms/op', flow: 'refresh', pick: (run) => run.serverTotalMs },
  { name: 'refresh: PostgreSQL (local)', unit: 'ms/op', flow: 'refresh', pick: (run) => run.databaseMs },
  { name: 'refresh: statements', unit: '/op', flow: 'refresh', pick: (run) => run.statements },
];

export interface ScopeFigure extends Spread {
  figure: string;
  variant: string;
  unit: string;
  runs: number[];
  /** Round-by-round ratios to the default's figure; none for the default itself. */
  toDefault?: Spread & { runs: number[] };
}

/**
 * One row per figure and variant, figure by figure. A figure no variant could measure (the
 * PostgreSQL rows on an embedded or a remote database) is left out.
 */
export function scopeFigures(variants: readonly string[], runs: ScopeRuns): ScopeFigure[] {
  const [baseline] = variants;
  return FIGURES.flatMap(({ name, unit, flow, pick }) => {
    const values = (variant: string) => runs[variant][flow].map(pick);
    if (!variants.some((variant) => values(variant).some(Number.isFinite))) return [];
    return variants.map((variant) => {
      const own = values(variant);
      const row: ScopeFigure = { figure: name, variant, unit, runs: own, ...spread(own) };
      if (variant === baseline) return row;
      const ratios = pairedRatios(own, values(baseline));
      return { ...row, toDefault: { runs: ratios, ...spread(ratios) } };
    });
  });
}

function ratioText(ratio: ScopeFigure['toDefault']): string {
  if (!ratio) return '';
  const median = formatValue(ratio.median, 'ratio');
  return ratio.min === ratio.max ? median : `${median} (${formatValue(ratio.min, 'ratio')}–${formatValue(ratio.max, 'ratio')})`;
}

export function scopeTable(title: string[], figures: ScopeFigure[], notes: string[]): string {
  const header = ['figure', 'variant', 'unit', 'min', 'median', 'max', 'to default: median (min–max)'];
  let previous = '';
  const rows = figures.map((row) => {
    const shown = row.figure === previous ? '' : row.figure;
    previous = row.figure;
    return [shown, row.variant, row.unit, formatValue(row.min, row.unit), formatValue(row.median, row.unit), formatValue(row.max, row.unit), ratioText(row.toDefault)];
  });
  return [...title, '', ...columns(header, rows, new Set([3, 4, 5])), ...notes].join('\n');
}
