import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { renderMarkdown } from './markdown.js';
import { PROJECT_ROOT } from '../../../project-root.js';

/** Help-centre topics, in the order the help page shows them. */
export const HELP_TOPICS = [
  { code: 'acces', label: 'Accès et connexion' },
  { code: 'habilitations', label: 'Habilitations' },
  { code: 'devis', label: 'Devis' },
  { code: 'assiduite', label: 'Assiduité et suivi de formation' },
  { code: 'securite', label: 'Sécurité' },
  { code: 'assistance', label: 'Assistance' },
] as const;
export type HelpTopic = (typeof HELP_TOPICS)[number]['code'];

export interface HelpArticle {
  slug: string;
  title: string;
  topic: HelpTopic;
  order: number;
  /** Sanitised HTML of the body (see markdown.ts). */
  html: string;
  /** The body as plain text, on one line. */
  text: string;
}

export const HELP_DIR = path.join(PROJECT_ROOT, 'content', 'help');

export function topicLabel(topic: string): string {
  return HELP_TOPICS.find((t) => t.code === topic)?.label ?? topic;
}

/** Lower case without diacritics, one character for one (UTF-16 unit for unit), so offsets map back to the original text. */
export function normaliseForSearch(text: string): string {
  let out = '';
  for (const ch of text) {
    const plain = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    out += plain.length === ch.length ? plain : ch;
  }
  return out;
}

/** Parses one article: a `---` front matter of `key: value` lines (slug, title, topic, order), then Markdown. */
export function parseArticle(source: string, fileName: string): HelpArticle {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(source);
  if (!match) throw new Error(`Help article ${fileName}: front matter (---) missing.`);
  const meta = new Map<string, string>();
  for (const line of match[1]!.split(/\r?\n/)) {
    const kv = /^(\w+):\s*(.*)$/.exec(line.trim());
    if (kv) meta.set(kv[1]!, kv[2]!.trim());
  }
  const slug = meta.get('slug') ?? '';
  const title = meta.get('title') ?? '';
  const topic = meta.get('topic') ?? '';
  const order = Number(meta.get('order'));
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)) throw new Error(`Help article ${fileName}: bad slug "${slug}".`);
  if (!title) throw new Error(`Help article ${fileName}: title missing.`);
  if (!HELP_TOPICS.some((t) => t.code === topic)) throw new Error(`Help article ${fileName}: unknown topic "${topic}".`);
  if (!Number.isInteger(order)) throw new Error(`Help article ${fileName}: order must be an integer.`);
  const { html, text } = renderMarkdown(match[2]!);
  return { slug, title, topic: topic as HelpTopic, order, html, text };
}

const topicIndex = (topic: string) => HELP_TOPICS.findIndex((t) => t.code === topic);

/** Reads every `*.md` of the folder, in topic order then `order`; fails on a bad file or a duplicate slug. */
export function loadArticles(dir = HELP_DIR): HelpArticle[] {
  const articles = readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .map((name) => parseArticle(readFileSync(path.join(dir, name), 'utf8'), name));
  const seen = new Set<string>();
  for (const a of articles) {
    if (seen.has(a.slug)) throw new Error(`Help article slug "${a.slug}" is used twice.`);
    seen.add(a.slug);
  }
  return articles.sort((a, b) => topicIndex(a.topic) - topicIndex(b.topic) || a.order - b.order || a.slug.localeCompare(b.slug));
}

let cached: HelpArticle[] | null = null;

/** The articles, read and rendered once per process. */
export function helpArticles(): HelpArticle[] {
  cached ??= loadArticles();
  return cached;
}
