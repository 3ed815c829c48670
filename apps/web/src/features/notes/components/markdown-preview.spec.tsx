import { act, cleanup, fireEvent, render } from '@testing-library/react';

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
