import { Marked } from 'marked';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * Markdown as HTML where only Markdown makes markup: a report quotes what the log holds (a task
 * title, an error), so raw HTML in it stays text, and links and images keep only their text (no
 * `javascript:` URL can come out of a title).
 */
const markdown = new Marked({
  gfm: true,
  renderer: {
    html: ({ text }) => escape(text),
    link({ tokens }) {
      return this.parser.parseInline(tokens);
    },
    image: ({ text }) => escape(text),
  },
});

/** The report's Markdown rendered as a page of its own. */
export function migrationReportHtml(source: string, title: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escape(title)}</title>`,
    '</head><body>',
    markdown.parse(source, { async: false }),
    '</body></html>',
    '',
  ].join('\n');
}
