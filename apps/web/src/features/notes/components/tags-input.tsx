import { NOTE_LIMITS } from '@micronote/contracts';
import { useId, useState } from 'react';

import { CloseIcon } from '../../../components/icons';

/**
 * Tags as chips: type and press Enter or comma to add, Backspace in the empty field to remove the
 * last, or each chip's remove button. Trimmed and de-duplicated like the server does.
 */
export function TagsInput({ tags, onChange, disabled }: { tags: string[]; onChange: (tags: string[]) => void; disabled?: boolean }) {
  const id = useId();
  const [text, setText] = useState('');
  const [message, setMessage] = useState('');
  const { maxCount, max } = NOTE_LIMITS.tags;

  const add = (raw: string) => {
    const tag = raw.trim().replace(/,+$/, '').trim();
    setText('');
    if (!tag) return;
    if (tags.includes(tag)) return setMessage(`“${tag}” is already there.`);
    if (tag.length > max) return setMessage(`A tag has at most ${max} characters.`);
    if (tags.length >= maxCount) return setMessage(`A note has at most ${maxCount} tags.`);
    setMessage('');
    onChange([...tags, tag]);
  };

  return (
    <div className="tags-input">
      <label htmlFor={id} className="visually-hidden">
        Add a tag
      </label>
      <ul className="tags-input-list" aria-label="Tags">
        {tags.map((tag) => (
          <li key={tag} className="tag tag-removable">
            {tag}
            {!disabled && (
              <button
                type="button"
                className="tag-remove"
                aria-label={`Remove tag ${tag}`}
                onClick={() => onChange(tags.filter((t) => t !== tag))}
              >
                <CloseIcon width={12} height={12} />
              </button>
            )}
          </li>
        ))}
      </ul>
      {!disabled && (
        <input
          id={id}
          className="tags-input-field"
          placeholder={tags.length ? 'Add tag' : 'Add tags (Enter to add)'}
          value={text}
          maxLength={max + 1}
          aria-describedby={message ? `${id}-msg` : undefined}
          onChange={(e) => {
            if (e.target.value.endsWith(',')) add(e.target.value);
            else setText(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add(text);
            } else if (e.key === 'Backspace' && !text && tags.length > 0) {
              onChange(tags.slice(0, -1));
            }
          }}
          onBlur={() => add(text)}
        />
      )}
      {message && (
        <p id={`${id}-msg`} className="field-error tags-input-message" role="status">
          {message}
        </p>
      )}
    </div>
  );
}
