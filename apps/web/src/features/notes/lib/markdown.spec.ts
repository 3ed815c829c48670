import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders GFM tables, strikethrough, autolinks and fenced code', () => {
    const html = renderMarkdown('| a | b |\n| - | - |\n| 1 | 2 |\n\n~~gone~~ see https://example.com\n\n```js\nlet x = 1 < 2;\n```\n');
    expect(html).toContain('<table>');
    expect(html).toContain('<td>1</td>');
    expect(html).toContain('<s>gone</s>');
    expect(html).toContain('<a href="https://example.com" target="_blank" rel="noopener noreferrer">https://example.com</a>');
    expect(html).toContain('<pre><code class="language-js">let x = 1 &lt; 2;\n</code></pre>');
  });

  it('opens links in a new tab without a handle on this one', () => {
    expect(renderMarkdown('[docs](https://example.com/docs "Docs")')).toContain(
      '<a href="https://example.com/docs" title="Docs" target="_blank" rel="noopener noreferrer">docs</a>',
    );
  });

  it('renders a <script> and javascript:/vbscript:/data: links inert: as text, never as markup or a link', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](JaVaScRiPt:alert(2)) [z](vbscript:msgbox) [d](data:text/html,<script>alert(3)</script>)\n\n<img src=x onerror=alert(4)> <a href="javascript:alert(5)">a</a>\n\n![i](javascript:alert(6))',
    );
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img src="?x/i);
    expect(html).not.toMatch(/<a [^>]*href="(javascript|vbscript|data):/i);
    expect(html).not.toMatch(/<img [^>]*src="javascript:/i);
    expect(html).not.toMatch(/<[^>]+ on\w+=/i);
    expect(html).toContain('[x](javascript:alert(1))');

    // And in a document: nothing that runs.
    const root = document.createElement('div');
    root.innerHTML = html;
    expect(root.querySelectorAll('script, iframe, object, embed, [onerror], [onclick]')).toHaveLength(0);
    for (const a of root.querySelectorAll('a')) expect(a.getAttribute('href')).toMatch(/^https?:/);
  });
});
