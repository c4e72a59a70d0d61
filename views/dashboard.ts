// The console's dashboard (issue point 7): one bar chart per figure over the last 30 days,
// drawn here as plain SVG inside the page: no script, no inline style (the CSP allows neither;
// colours come from classes in app.css and presentation attributes), nothing from another host.
// Each chart has its name and description for screen readers (<title>, <desc>) and the same
// numbers as a table behind a <details>, which opens without JavaScript. The viewBox makes the
// chart as wide as its column, from a 360-px phone to a desk's screen.
import { html, type SafeHtml } from './html.ts';
import { t, type Locale, type MessageKey } from '../src/i18n/index.ts';
import { consoleLayout, type ConsoleFrame } from './console.ts';
import type { PageShell } from './layout.ts';

export interface DashboardDay {
  /** YYYY-MM-DD (Viet Nam). */
  date: string;
  /** dd/mm/yyyy. */
  shown: string;
  /** dd/mm, under the bars. */
  short: string;
}

export interface DashboardSeries {
  /** An id for the chart's title and description, unique in the page. */
  id: string;
  name: MessageKey;
  about: MessageKey;
  counts: readonly number[];
}

export interface DashboardProps {
  days: readonly DashboardDay[];
  series: readonly DashboardSeries[];
}

// The drawing's own units; the viewBox scales them to the column. 400 units on a 300-px-wide
// phone column draw a 16-unit label at 12 px.
const WIDTH = 400;
const HEIGHT = 230;
const LEFT = 48;
const RIGHT = 8;
const TOP = 28;
const BOTTOM = 58;
const PLOT_WIDTH = WIDTH - LEFT - RIGHT;
const PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;

/** The top of the scale: the smallest of 1, 2, 4, 6, 8 × 10ⁿ not below `max`, so its half is whole from 2 up. */
export function scaleTop(max: number): number {
  if (max <= 1) return 1;
  for (let power = 1; ; power *= 10) {
    for (const step of [1, 2, 4, 6, 8]) if (step * power >= max) return step * power;
  }
}

const number = (locale: Locale, value: number) => value.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB');

/** A bar chart of one figure per day, with its text alternative. */
export function barChart(locale: Locale, days: readonly DashboardDay[], series: DashboardSeries): SafeHtml {
  const counts = series.counts;
  const top = scaleTop(Math.max(0, ...counts));
  const ticks = top === 1 ? [0, 1] : [0, top / 2, top];
  const slot = PLOT_WIDTH / days.length;
  const barWidth = Math.max(1, slot * 0.7);
  const y = (value: number) => TOP + PLOT_HEIGHT - (value / top) * PLOT_HEIGHT;
  const round = (value: number) => Math.round(value * 100) / 100;
  const name = t(locale, series.name);
  const first = days[0]?.shown ?? '';
  const last = days.at(-1)?.shown ?? '';
  const total = counts.reduce((sum, count) => sum + count, 0);
  const max = Math.max(0, ...counts);
  const summary = total === 0
    ? t(locale, 'dashboard.summary_none')
    : t(locale, 'dashboard.summary', { total: number(locale, total), max: number(locale, max), day: days[counts.indexOf(max)]!.shown });

  const grid = ticks.map((tick) => html`<line class="chart__grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${round(y(tick))}" y2="${round(y(tick))}" stroke="#d0d4da" stroke-width="1"/>
<text class="chart__label" x="${LEFT - 6}" y="${round(y(tick) + 5)}" text-anchor="end" font-size="15">${number(locale, tick)}</text>`);
  const bars = counts.map((count, index) => {
    const height = round((count / top) * PLOT_HEIGHT);
    const x = round(LEFT + index * slot + (slot - barWidth) / 2);
    return html`<rect class="chart__bar" x="${x}" y="${round(TOP + PLOT_HEIGHT - height)}" width="${round(barWidth)}" height="${height}" fill="#0b5394"><title>${days[index]!.shown}: ${number(locale, count)}</title></rect>`;
  });
  // Four days named under the bars, the first and today among them.
  const labelled = [...new Set([0, Math.round((days.length - 1) / 3), Math.round(((days.length - 1) * 2) / 3), days.length - 1])];
  const dayLabels = labelled.map((index) => {
    const x = round(LEFT + index * slot + slot / 2);
    const anchor = index === 0 ? 'start' : index === days.length - 1 ? 'end' : 'middle';
    return html`<text class="chart__label" x="${anchor === 'start' ? round(LEFT) : anchor === 'end' ? WIDTH - RIGHT : x}" y="${TOP + PLOT_HEIGHT + 20}" text-anchor="${anchor}" font-size="15">${days[index]!.short}</text>`;
  });

  const titleId = `chart-${series.id}-title`;
  const descId = `chart-${series.id}-desc`;
  return html`<figure class="card chart" aria-labelledby="figure-${series.id}">
<h2 id="figure-${series.id}" class="chart__heading">${name}</h2>
<p class="note">${t(locale, series.about)}</p>
<p class="chart__summary">${summary}</p>
<svg class="chart__svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${titleId} ${descId}">
<title id="${titleId}">${t(locale, 'dashboard.chart_label', { figure: name, from: first, to: last })}</title>
<desc id="${descId}">${summary}</desc>
<text class="chart__axis-title" x="${LEFT}" y="16" font-size="15">${t(locale, 'dashboard.axis_count')}</text>
${grid}
${bars}
<line class="chart__axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${TOP + PLOT_HEIGHT}" y2="${TOP + PLOT_HEIGHT}" stroke="#5f6368" stroke-width="1.5"/>
${dayLabels}
<text class="chart__axis-title" x="${round(LEFT + PLOT_WIDTH / 2)}" y="${HEIGHT - 8}" text-anchor="middle" font-size="15">${t(locale, 'dashboard.axis_days')}</text>
</svg>
<details class="chart__table">
<summary>${t(locale, 'dashboard.table_toggle')}</summary>
<table>
<caption class="sr-only">${name}</caption>
<thead><tr><th scope="col">${t(locale, 'dashboard.col.day')}</th><th scope="col">${t(locale, 'dashboard.col.count')}</th></tr></thead>
<tbody>${days.map((day, index) => html`<tr><th scope="row"><time datetime="${day.date}">${day.shown}</time></th><td>${number(locale, counts[index] ?? 0)}</td></tr>`)}</tbody>
</table>
</details>
</figure>`;
}

/** `/admin/dashboard`: the last 30 days, one chart per figure. */
export function dashboardPage(shell: PageShell, frame: ConsoleFrame, props: DashboardProps): string {
  const { locale } = shell;
  return consoleLayout(
    shell,
    frame,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'dashboard.title')}</h1>
<p class="lead">${t(locale, 'dashboard.intro', { from: props.days[0]?.shown ?? '', to: props.days.at(-1)?.shown ?? '' })}</p>
</section>
<div class="charts">
${props.series.map((series) => barChart(locale, props.days, series))}
</div>`,
  );
}
