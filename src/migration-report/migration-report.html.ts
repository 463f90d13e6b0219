const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * The Markdown in a page of its own, as preformatted text: every character escaped, so nothing in
 * a report (a task title, an error) can become markup. A Markdown renderer would need a package
 * this build does not have.
 */
export function migrationReportHtml(markdown: string, title: string): string {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escape(title)}</title>`,
    '</head><body>',
    `<pre>${escape(markdown)}</pre>`,
    '</body></html>',
    '',
  ].join('\n');
}
