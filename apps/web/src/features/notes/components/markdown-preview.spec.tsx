import { act, cleanup, fireEvent, render, waitFor } from '@testing-library/react';

import { createMarkdown } from '../lib/markdown';
import { MarkdownPreview } from './markdown-preview';
import type { PendingTicks } from './note-preview';

function setup(text: string, ticks: PendingTicks = new Map(), disabled = false) {
  const props = { text, ticks, disabled, onToggleTask: jest.fn(), onTickShown: jest.fn() };
  const view = render(<MarkdownPreview {...props} />);
  return { ...view, props };
}

const boxes = (container: HTMLElement) => [...container.querySelectorAll<HTMLInputElement>('input.task-checkbox')];

describe(MarkdownPreview.name, () => {
  afterEach(cleanup);

  it('renders a note with <script> and javascript: links inert', () => {
    const { container } = setup(
      '# Hi\n\n<script>window.__pwned = 1</script>\n\n[x](javascript:alert(1)) <img src=x onerror="window.__pwned = 2"> [ok](https://example.com)',
    );
    expect(container.querySelector('h1')?.textContent).toBe('Hi');
    expect(container.querySelectorAll('script, img, [onerror]')).toHaveLength(0);
    expect(container.textContent).toContain('<script>window.__pwned = 1</script>');
    expect(container.textContent).toContain('[x](javascript:alert(1))');
    const links = [...container.querySelectorAll('a')];
    expect(links.map((a) => [a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel')])).toEqual([
      ['https://example.com', '_blank', 'noopener noreferrer'],
    ]);
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('a click on a task box asks for the tick with the item’s index and text', () => {
    const { container, props } = setup('- [ ] milk\n- [x] eggs\n');
    const [milk, eggs] = boxes(container);
    expect([milk.checked, eggs.checked]).toEqual([false, true]);
    fireEvent.click(eggs);
    expect(props.onToggleTask).toHaveBeenCalledWith({ index: 1, text: 'eggs', checked: true, line: 1 }, false);
  });

  it('a pending tick overrules the text until the text shows it', () => {
    const { container, props, rerender } = setup('- [ ] milk\n- [ ] eggs\n', new Map([[0, { text: 'milk', checked: true }]]));
    expect(boxes(container).map((b) => b.checked)).toEqual([true, false]);
    expect(props.onTickShown).not.toHaveBeenCalled();
    // Rolled back (the tick failed): the text's state again.
    rerender(<MarkdownPreview {...props} ticks={new Map()} />);
    expect(boxes(container).map((b) => b.checked)).toEqual([false, false]);
    // The text caught up: the override is done.
    rerender(<MarkdownPreview {...props} text={'- [x] milk\n- [ ] eggs\n'} ticks={new Map([[0, { text: 'milk', checked: true }]])} />);
    expect(props.onTickShown).toHaveBeenCalledWith(0);
    // A tick for an item whose text changed meanwhile does not land on another one.
    rerender(<MarkdownPreview {...props} text={'- [ ] bread\n'} ticks={new Map([[0, { text: 'milk', checked: true }]])} />);
    expect(boxes(container).map((b) => b.checked)).toEqual([false]);
  });

  it('boxes are disabled in a read-only note', () => {
    const { container, props } = setup('- [ ] milk', new Map(), true);
    expect(boxes(container)[0].disabled).toBe(true);
    act(() => boxes(container)[0].click());
    expect(props.onToggleTask).not.toHaveBeenCalled();
  });
});

describe('MarkdownPreview, block by block', () => {
  afterEach(cleanup);

  /** The preview's DOM without the block wrappers. */
  const unwrapped = (container: HTMLElement) => {
    const body = container.querySelector('.markdown-body')?.cloneNode(true) as HTMLElement;
    for (const block of body.querySelectorAll('.markdown-block')) block.replaceWith(...block.childNodes);
    return body.innerHTML;
  };
  const whole = (text: string) => {
    const div = document.createElement('div');
    div.innerHTML = createMarkdown().render(text);
    return div.innerHTML;
  };

  it('shows what markdown-it renders of the whole note, global task indices included', () => {
    const text =
      '# Plan\n\n- [ ] one\n- [x] two\n\nSee [docs].\n\n```\ncode\n\nmore\n```\n\n> - [ ] three\n\n[docs]: https://example.com/docs\n';
    const { container, props } = setup(text);
    expect(unwrapped(container)).toBe(whole(text));
    expect(container.querySelectorAll('.markdown-block')).toHaveLength(5);
    fireEvent.click(boxes(container)[2]);
    expect(props.onToggleTask).toHaveBeenCalledWith({ index: 2, text: 'three', checked: false, line: 13 }, true);
  });

  it('an edit replaces the DOM of its block only; a task added above renumbers the boxes below', () => {
    const text = 'First paragraph.\n\n- [ ] milk\n\nLast paragraph.\n';
    const { container, props, rerender } = setup(text);
    const [first, list, last] = [...container.querySelectorAll('.markdown-block')];
    rerender(<MarkdownPreview {...props} text={text.replace('First', 'The first')} />);
    const after = [...container.querySelectorAll('.markdown-block')];
    expect(after[0]).not.toBe(first);
    expect(after[0].textContent).toBe('The first paragraph.\n');
    expect(after[1]).toBe(list);
    expect(after[2]).toBe(last);

    const withTask = `- [x] eggs\n\n${text}`;
    rerender(<MarkdownPreview {...props} text={withTask} />);
    const milk = container.querySelectorAll('.markdown-block')[2];
    expect(milk).toBe(list);
    expect(boxes(container).map((b) => [b.dataset['taskIndex'], b.checked])).toEqual([
      ['0', true],
      ['1', false],
    ]);
    expect(unwrapped(container)).toBe(whole(withTask));
    fireEvent.click(boxes(container)[1]);
    expect(props.onToggleTask).toHaveBeenCalledWith({ index: 1, text: 'milk', checked: false, line: 4 }, true);
  });

  it('shows a long note in chunks: the first blocks at once, the rest soon after, as one whole', async () => {
    const text = Array.from({ length: 60 }, (_, i) => `## Part ${i}\n\n- [ ] task ${i}\n\nSome *text* ${i}.\n`).join('\n');
    const now = jest.spyOn(performance, 'now');
    let clock = 0;
    now.mockImplementation(() => (clock += 2));
    try {
      const { container } = setup(text);
      const shown = container.querySelectorAll('.markdown-block').length;
      expect(shown).toBeGreaterThan(0);
      expect(shown).toBeLessThan(180);
      await waitFor(() => expect(container.querySelectorAll('.markdown-block')).toHaveLength(180), { timeout: 5000 });
      expect(unwrapped(container)).toBe(whole(text));
      expect(boxes(container).map((b) => b.dataset['taskIndex'])).toEqual(Array.from({ length: 60 }, (_, i) => String(i)));
    } finally {
      now.mockRestore();
    }
  });

  it('works read-only without tick handlers (the public page)', () => {
    const { container } = render(<MarkdownPreview text={'- [x] done\n- [ ] open'} disabled />);
    expect(boxes(container).map((b) => [b.checked, b.disabled])).toEqual([
      [true, true],
      [false, true],
    ]);
    fireEvent.click(boxes(container)[1]);
  });
});
