import TurndownService from 'turndown';

/** HTML's void elements: the only ones whose `<x/>` means "no content" to an HTML parser. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/**
 * ENML is XHTML: `<en-todo checked="true"/>` closes itself, which an HTML parser (turndown's)
 * would read as an open tag swallowing the rest of the line. The XML prologue and DOCTYPE go too.
 */
export function enmlAsHtml(enml: string): string {
  return enml
    .replace(/<\?xml[\s\S]*?\?>/gi, '')
    .replace(/<!DOCTYPE[^>]*>/gi, '')
    .replace(/<([a-zA-Z][\w:-]*)((?:\s[^<>]*?)?)\s*\/>/g, (whole, tag: string, attributes: string) =>
      VOID.has(tag.toLowerCase()) ? whole : `<${tag}${attributes}></${tag}>`,
    )
    // An empty element is "blank" to turndown and skips the rules: a checkbox gets a stand-in text.
    .replace(/<en-todo((?:\s[^<>]*)?)><\/en-todo>/gi, '<en-todo$1>[]</en-todo>');
}

const style = (node: HTMLElement) => (node.getAttribute?.('style') ?? '').replace(/\s+/g, '').toLowerCase();

/** Evernote 10's checklists: `<ul style="--en-todo:true"><li style="--en-checked:true">`. */
const isChecklistItem = (node: HTMLElement) =>
  node.nodeName === 'LI' && node.parentNode?.nodeName === 'UL' && style(node.parentNode as HTMLElement).includes('--en-todo:true');

function markdownConverter(): TurndownService {
  const service = new TurndownService({
    headingStyle: 'atx',
    hr: '---',
    bulletListMarker: '-',
    codeBlockStyle: 'fenced',
    emDelimiter: '_',
    strongDelimiter: '**',
  });
  // Text that looks like HTML stays text: `<b>` written in a note is escaped, never markup.
  const escape = service.escape.bind(service);
  service.escape = (text: string) => escape(text).replace(/</g, '\\<');
  service.remove(['script', 'style', 'head', 'title', 'iframe', 'object', 'embed', 'form', 'button', 'input', 'select', 'textarea']);
  service.remove(((node: HTMLElement) => node.nodeName === 'EN-MEDIA' || node.nodeName === 'EN-CRYPT') as TurndownService.FilterFunction);
  service.addRule('strikethrough', {
    filter: ((node: HTMLElement) =>
      ['DEL', 'S', 'STRIKE'].includes(node.nodeName) ||
      (node.nodeName === 'SPAN' && style(node).includes('line-through'))) as TurndownService.FilterFunction,
    replacement: (content) => (content.trim() ? `~~${content}~~` : content),
  });
  service.addRule('styledBold', {
    filter: ((node: HTMLElement) => node.nodeName === 'SPAN' && /font-weight:(bold|[6-9]00)/.test(style(node))) as TurndownService.FilterFunction,
    replacement: (content) => (content.trim() ? `**${content}**` : content),
  });
  // A legacy checkbox: `- [x] ` where it opens a line (in a list item the item's own marker is used).
  service.addRule('enTodo', {
    filter: ((node: HTMLElement) => node.nodeName === 'EN-TODO') as TurndownService.FilterFunction,
    replacement: (_content, node) => {
      const mark = node.getAttribute('checked') === 'true' ? '[x] ' : '[ ] ';
      let parent = node.parentNode as HTMLElement | null;
      while (parent && parent.nodeName !== 'LI' && parent.nodeName !== 'EN-NOTE' && parent.nodeName !== 'BODY') parent = parent.parentNode as HTMLElement | null;
      return parent?.nodeName === 'LI' ? mark : `- ${mark}`;
    },
  });
  // List items with one space after the marker (`- a`, `1. a`), and Evernote 10's checklist items as task items.
  service.addRule('listItem', {
    filter: 'li',
    replacement: (content, node) => {
      const parent = node.parentNode as HTMLElement;
      let prefix = '- ';
      if (parent.nodeName === 'OL') {
        const start = parent.getAttribute('start');
        prefix = `${(start ? Number(start) : 1) + Array.prototype.indexOf.call(parent.children, node)}. `;
      }
      if (isChecklistItem(node)) prefix += style(node).includes('--en-checked:true') ? '[x] ' : '[ ] ';
      const body = content.replace(/^\n+/, '').replace(/\n+$/, '\n');
      const indented = body.replace(/\n(?!$)/g, `\n${' '.repeat(prefix.startsWith('-') ? 2 : prefix.length)}`);
      return `${prefix}${indented.replace(/\n$/, '')}${node.nextSibling ? '\n' : ''}`;
    },
  });
  return service;
}

const converter = markdownConverter();

/** A task line, possibly with blank lines after it that separate it from the next task line. */
const LOOSE_TASKS = /^(\s*- \[[ x]\] .*)\n\n+(?=\s*- \[[ x]\] )/gm;

/**
 * ENML (an Evernote note's XHTML) as Markdown: headings, emphasis, strikethrough, links, lists,
 * code; `<en-todo>` checkboxes and Evernote 10 checklists become task items (`- [x] …`);
 * attachments (`<en-media>`) and encrypted parts are dropped (the caller warns). No HTML survives
 * as HTML: unknown elements keep only their text, text that looks like a tag is escaped.
 */
export function enmlToMarkdown(enml: string): string {
  const markdown = converter.turndown(enmlAsHtml(enml));
  return markdown.replace(LOOSE_TASKS, '$1\n').trim();
}
