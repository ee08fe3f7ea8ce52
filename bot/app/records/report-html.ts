import { ukDateTime } from '../../../cards/format.ts';
import { actorLabel, type DecisionRecord } from '../../domain/decision-log.ts';

/** Escapes text for HTML: every value in a report is someone's text, never markup. */
export function esc(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The National Decision Model's five stages, with the rationale fields that answer each. */
const NDM_STAGES: Array<[string, Array<keyof NonNullable<DecisionRecord['rationale']>>]> = [
  ['1. Gather information and intelligence', ['information']],
  ['2. Assess threat and risk and develop a working strategy', ['threatRisk']],
  ['3. Consider powers and policy', ['powersPolicy']],
  ['4. Identify options and contingencies', ['options']],
  ['5. Take action and review what happened', ['action', 'reviewAt']],
];

/** A printable HTML document of decision records: each decision with its rationale laid out as the National Decision Model. */
export function recordsHtml(doc: { title: string; intro: string[]; records: readonly DecisionRecord[]; footer: string[] }): string {
  const entries = doc.records.map((r) => {
    const d = r.details ?? {};
    const summary = Object.entries(d).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('');
    const ndm = r.rationale
      ? `<table class="ndm"><caption>National Decision Model</caption>${NDM_STAGES.map(([stage, fields]) => `<tr><th scope="row">${esc(stage)}</th><td>${fields.map((f) => esc(r.rationale?.[f] ?? '')).filter(Boolean).join('<br>') || '<em>not recorded</em>'}</td></tr>`).join('')}</table>`
      : '';
    return `<section class="record${r.outcome === 'refused' ? ' refused' : ''}">
<h2>${esc(ukDateTime(r.at))} · ${esc(r.action)}${r.outcome === 'refused' ? ' (refused)' : ''}</h2>
<p class="who">By ${esc(actorLabel(r))}${r.subject ? ` · about ${esc(r.subject.id)}` : ''} · record ${r.seq}</p>
${r.redacted ? `<p class="redacted">Personal data redacted under the retention schedule (disposal record ${r.redacted.by}).</p>` : ''}
${r.reason ? `<p><strong>Reason:</strong> ${esc(r.reason)}</p>` : ''}
${ndm}
${summary ? `<dl>${summary}</dl>` : ''}
<p class="hash">SHA-256 ${esc(r.hash)}</p>
</section>`;
  }).join('\n');
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>${esc(doc.title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
body{font:11pt/1.4 system-ui,sans-serif;margin:2em;color:#111}h1{font-size:16pt}h2{font-size:12pt;margin:0}
.record{border-top:1px solid #888;padding:.6em 0;break-inside:avoid}.refused h2::after{content:" ⛔"}
.who,.hash{color:#444;font-size:9pt}.hash{font-family:monospace}.redacted{font-style:italic}
table.ndm{border-collapse:collapse;margin:.4em 0;width:100%}table.ndm th,table.ndm td{border:1px solid #999;padding:.3em;text-align:left;vertical-align:top}
table.ndm th{width:35%;font-weight:600}caption{text-align:left;font-weight:600}dl{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em}dt{font-weight:600}
@media print{body{margin:0}}
</style></head><body>
<h1>${esc(doc.title)}</h1>
${doc.intro.map((p) => `<p>${esc(p)}</p>`).join('\n')}
${entries || '<p>No records.</p>'}
<footer>${doc.footer.map((p) => `<p>${esc(p)}</p>`).join('\n')}</footer>
</body></html>
`;
}
