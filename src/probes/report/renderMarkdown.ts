/**
 * renderMarkdown — a ReportDocument as GitHub-flavoured Markdown: headings,
 * lists, pipe tables (cells escaped), and figures as links to the `<name>.svg`
 * files written beside report.md.
 */
import type { Block, ReportDocument } from './reportDocument.js';
import { escapeMarkdownCell, escapeMarkdownText } from './_internals/format.js';

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeMarkdownCell).join(' | ')} |`;
  return [line(header), `|${header.map(() => ' --- |').join('')}`, ...rows.map(line)];
}

function block(b: Block): string[] {
  switch (b.type) {
    case 'text':
      return [escapeMarkdownText(b.text)];
    case 'list':
      return b.items.map((item) => `- ${escapeMarkdownText(item)}`);
    case 'table':
      return [...(b.caption === undefined ? [] : [`**${escapeMarkdownText(b.caption)}**`, '']), ...table(b.header, b.rows)];
    case 'figures':
      return b.figures.flatMap((f) => [`![${escapeMarkdownCell(f.title)}](${encodeURIComponent(f.name)}.svg)`, '', `*${escapeMarkdownText(f.caption)}*`, '']).slice(0, -1);
  }
}

export function renderMarkdown(doc: ReportDocument): string {
  const lines = [`# ${escapeMarkdownText(doc.title)}`, ''];
  for (const section of doc.sections) {
    lines.push(`## ${escapeMarkdownText(section.title)}`, '');
    for (const b of section.blocks) lines.push(...block(b), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
