import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { SEVERITIES, type Severity } from '../domain/escalation.ts';

const require = createRequire(import.meta.url);
/** Shipped with the app (dejavu-fonts-ttf), so the chart's text renders the same on a server with no fonts. */
const FONTS = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));
const FONT = 'DejaVu Sans';
/** Drawn at twice the size cards show it (about 600 × 300), so it stays sharp on high-density screens. */
export const CHART_SIZE = { width: 1200, height: 600 };

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
 * PNG with the shipped font. Severities are told apart by the legend's words
 * as well as colour. Returns the PNG and its SHA-256.
 */
export async function renderSurgeChart(data: SurgeChartData): Promise<{ png: Buffer; sha256: string }> {
  // ECharts takes seconds to load, so it is loaded on the first stand-down, not at start-up.
  const echarts = await import('echarts');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...CHART_SIZE });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT, fontSize: 22 },
      title: { text: data.title, left: 24, top: 16, textStyle: { fontFamily: FONT, fontSize: 28, fontWeight: 'bold' } },
      legend: { top: 64, right: 40, textStyle: { fontFamily: FONT, fontSize: 22 }, data: SEVERITIES.map((s) => s.toUpperCase()) },
      grid: { left: 80, right: 40, top: 120, bottom: 70 },
      xAxis: { type: 'category', data: data.labels, axisLabel: { fontFamily: FONT, fontSize: 20 }, name: 'UK time (15-minute intervals)', nameLocation: 'middle', nameGap: 44, nameTextStyle: { fontFamily: FONT, fontSize: 20 } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { fontFamily: FONT, fontSize: 20 } },
      series: SEVERITIES.map((s, i) => ({
        name: s.toUpperCase(), type: 'bar', stack: 'all', data: data.bySeverity[s], itemStyle: { color: COLOURS[s] },
        // The level changes ride on the first series as labelled vertical lines.
        ...(i === 0 && data.levels.length
          ? { markLine: { symbol: 'none', lineStyle: { color: '#1a237e', width: 3, type: 'dashed' }, label: { formatter: '{b}', fontFamily: FONT, fontSize: 20, color: '#1a237e' }, data: data.levels.map((l) => ({ name: `Level ${l.level}`, xAxis: l.bucket })) } }
          : {}),
      })),
    });
    const svg = chart.renderToSVGString();
    const png = new Resvg(svg, { font: { fontFiles: FONTS, loadSystemFonts: false, defaultFontFamily: FONT }, fitTo: { mode: 'original' } }).render().asPng();
    return { png, sha256: createHash('sha256').update(png).digest('hex') };
  } finally {
    // An undisposed chart keeps a timer alive.
    chart.dispose();
  }
}
