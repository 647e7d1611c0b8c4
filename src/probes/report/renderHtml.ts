/**
 * renderHtml — a ReportDocument as one self-contained HTML file: inline CSS,
 * figures as inline SVG, no script, no external resource, so it opens
 * offline and can be mailed as it is. Every piece of text is HTML-escaped;
 * the SVGs come from the Vega renderer, which escapes its own text.
 */
import type { Block, ReportDocument } from './reportDocument.js';
import { escapeHtml } from './_internals/format.js';

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1a1a1a; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
figure { margin: 1rem 0; overflow-x: auto; } figcaption { color: #555; font-size: 0.9rem; }
nav ul { columns: 2; }
`;

function table(b: Extract<Block, { type: 'table' }>): string {
  const head = `<tr>${b.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = b.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  const caption = b.caption === undefined ? '' : `<caption>${escapeHtml(b.caption)}</caption>`;
  return `<table>${caption}\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody></table>`;
}

function block(b: Block, svgs: ReadonlyMap<string, string>): string {
  switch (b.type) {
    case 'text':
      return `<p>${escapeHtml(b.text)}</p>`;
    case 'list':
      return `<ul>\n${b.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('\n')}\n</ul>`;
    case 'table':
      return table(b);
    case 'figures':
      return b.figures
        .map((f) => {
          const svg = svgs.get(f.name) ?? `<p>${escapeHtml(`(figure ${f.name} missing)`)}</p>`;
          return `<figure id="figure-${escapeHtml(f.name)}">\n${svg}\n<figcaption>${escapeHtml(`${f.title}. ${f.caption}`)}</figcaption>\n</figure>`;
        })
        .join('\n');
  }
}

/** `svgs`: figure name → SVG markup. */
export function renderHtml(doc: ReportDocument, svgs: ReadonlyMap<string, string>): string {
  const nav = `<nav><ul>\n${doc.sections.map((s) => `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a></li>`).join('\n')}\n</ul></nav>`;
  const sections = doc.sections.map((s) => `<section id="${escapeHtml(s.id)}">\n<h2>${escapeHtml(s.title)}</h2>\n${s.blocks.map((b) => block(b, svgs)).join('\n')}\n</section>`);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(doc.title)}</h1>`,
    nav,
    ...sections,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
