import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { SEVERITIES, type Severity } from '../domain/escalation.ts';

const require = createRequire(import.meta.url);
/** Shipped with the app (dejavu-fonts-ttf), so the chart's text renders the same on a server with no fonts. */
const FONTS = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));
const FONT = 'DejaVu Sans';
/**
 * Laid out for the width cards show a picture at (Teams and Slack show it
 * about 400–500 px wide), so its type is 12–15 px as people see it.
 * `full` is drawn at twice that for high-density screens and for Slack and
 * the public address; `card` at that size, small enough to travel inside a
 * Teams card (28 KB in all) as a data URI.
 */
export const CHART_SIZE = { width: 480, height: 270 };
export const CHART_SCALE = { full: 2, card: 1 } as const;
/** At most this many time labels on the axis: one every N quarter-hours. */
const MAX_LABELS = 6;

/** What the stand-down chart shows: escalations per 15 minutes by severity, and when the level changed. */
export interface SurgeChartData {
  title: string;
  /** Bucket start times as shown (UK time, "14:15"). */
  labels: string[];
  bySeverity: Record<Severity, number[]>;
  /** Level changes: the bucket they fell in, and the new level. */
  levels: Array<{ bucket: number; level: number }>;
}

const COLOURS: Record<Severity, string> = { critical: '#b00020', high: '#e65100', medium: '#f9a825', low: '#78909c' };

/**
 * Renders the chart server-side: ECharts to SVG (no browser), then resvg to
 * PNG with the shipped font, at `scale` times its layout size. Severities are
 * told apart by the legend's words as well as colour. Returns the PNG and its SHA-256.
 */
export async function renderSurgeChart(data: SurgeChartData, scale: number = CHART_SCALE.full): Promise<{ png: Buffer; sha256: string }> {
  // ECharts takes seconds to load, so it is loaded on the first stand-down, not at start-up.
  const echarts = await import('echarts');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...CHART_SIZE });
  const every = Math.max(1, Math.ceil(data.labels.length / MAX_LABELS));
  const text = { fontFamily: FONT, color: '#1f1f1f' };
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { ...text, fontSize: 13 },
      title: { text: data.title, left: 8, top: 6, textStyle: { ...text, fontSize: 15, fontWeight: 'bold' } },
      legend: { top: 30, left: 8, itemGap: 12, itemWidth: 14, itemHeight: 10, textStyle: { ...text, fontSize: 13 }, data: SEVERITIES.map((s) => s.toUpperCase()) },
      grid: { left: 36, right: 12, top: 74, bottom: 44 },
      xAxis: {
        type: 'category', data: data.labels, axisLabel: { ...text, fontSize: 13, interval: every - 1 },
        name: 'UK time, per 15 minutes', nameLocation: 'middle', nameGap: 26, nameTextStyle: { ...text, fontSize: 12 },
      },
      yAxis: { type: 'value', minInterval: 1, splitNumber: 4, axisLabel: { ...text, fontSize: 13 } },
      series: SEVERITIES.map((s, i) => ({
        name: s.toUpperCase(), type: 'bar', stack: 'all', data: data.bySeverity[s], itemStyle: { color: COLOURS[s] },
        // The level changes ride on the first series as labelled vertical lines.
        ...(i === 0 && data.levels.length
          ? { markLine: { symbol: 'none', lineStyle: { color: '#1a237e', width: 2, type: 'dashed' }, label: { formatter: '{b}', fontFamily: FONT, fontSize: 13, color: '#1a237e' }, data: data.levels.map((l) => ({ name: `Level ${l.level}`, xAxis: l.bucket })) } }
          : {}),
      })),
    });
    const svg = chart.renderToSVGString();
    const png = new Resvg(svg, { font: { fontFiles: FONTS, loadSystemFonts: false, defaultFontFamily: FONT }, fitTo: { mode: 'zoom', value: scale } }).render().asPng();
    return { png, sha256: createHash('sha256').update(png).digest('hex') };
  } finally {
    // An undisposed chart keeps a timer alive.
    chart.dispose();
  }
}
