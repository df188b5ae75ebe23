/**
 * The small Markdown subset the help articles use, rendered to HTML that can only contain the
 * tags built here: every character of the source is escaped, so raw HTML in an article shows as
 * text, and links are kept only when they point to http(s) or to a path of this site.
 *
 * Blocks: `## ` and `### ` headings, paragraphs, `- ` and `1. ` lists (indented lines continue
 * an item), fenced code blocks (```). Inline: `code`, **strong**, [text](url).
 * No inline styles, and no attributes but `href` and fixed Bootstrap classes (the CSP forbids inline styles).
 */

type Block =
  | { kind: 'heading'; level: 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'code'; text: string };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** http(s) addresses and paths of this site; anything else (javascript:, data:, //host…) is refused. */
export function isSafeHref(href: string): boolean {
  if (/^https?:\/\/[^\s]+$/i.test(href)) return true;
  return /^\/(?![/\\])[^\s]*$/.test(href) || /^#[\w-]+$/.test(href);
}

const LIST_ITEM = /^(\s*)(?:([-*])|(\d+)\.)\s+(.*)$/;

function parseBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
    if (list) blocks.push({ kind: 'list', ...list });
    paragraph = [];
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trimStart().startsWith('```')) {
      flush();
      const code: string[] = [];
      while (++i < lines.length && !lines[i]!.trimStart().startsWith('```')) code.push(lines[i]!);
      blocks.push({ kind: 'code', text: code.join('\n') });
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    const heading = /^(#{2,3})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1]!.length as 2 | 3, text: heading[2]!.trim() });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item && !paragraph.length) {
      const ordered = item[3] !== undefined;
      if (list && list.ordered !== ordered) flush();
      list ??= { ordered, items: [] };
      list.items.push(item[4]!.trim());
      continue;
    }
    if (list && /^\s+\S/.test(line)) {
      list.items[list.items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    if (list) flush();
    paragraph.push(line.trim());
  }
  flush();
  return blocks;
}

const INLINE = /`([^`]+)`|\*\*(.+?)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;

function renderInline(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    out += escapeHtml(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] !== undefined) out += `<code>${escapeHtml(m[1])}</code>`;
    else if (m[2] !== undefined) out += `<strong>${renderInline(m[2])}</strong>`;
    else if (isSafeHref(m[4]!)) out += `<a href="${escapeHtml(m[4]!)}">${escapeHtml(m[3]!)}</a>`;
    else out += escapeHtml(m[3]!);
  }
  return out + escapeHtml(text.slice(last));
}

function plainInline(text: string): string {
  return text.replace(INLINE, (_all, code?: string, strong?: string, label?: string) => code ?? strong ?? label ?? '');
}

/** The site's scale: page titles are `h1.h3`, sections `h2.h5`. */
const HEADING_CLASS = { 2: 'h5 mt-4', 3: 'h6 mt-3' } as const;

export interface RenderedMarkdown {
  html: string;
  /** The text a reader sees, on one line (for search and excerpts). */
  text: string;
}

export function renderMarkdown(source: string): RenderedMarkdown {
  const html: string[] = [];
  const text: string[] = [];
  for (const block of parseBlocks(source)) {
    switch (block.kind) {
      case 'heading':
        html.push(`<h${block.level} class="${HEADING_CLASS[block.level]}">${renderInline(block.text)}</h${block.level}>`);
        text.push(plainInline(block.text));
        break;
      case 'paragraph':
        html.push(`<p>${renderInline(block.text)}</p>`);
        text.push(plainInline(block.text));
        break;
      case 'list': {
        const tag = block.ordered ? 'ol' : 'ul';
        html.push(`<${tag}>${block.items.map((item) => `<li>${renderInline(item)}</li>`).join('')}</${tag}>`);
        text.push(...block.items.map(plainInline));
        break;
      }
      case 'code':
        html.push(`<pre><code>${escapeHtml(block.text)}</code></pre>`);
        text.push(block.text);
        break;
    }
  }
  return { html: html.join('\n'), text: text.join(' ').replace(/\s+/g, ' ').trim() };
}
