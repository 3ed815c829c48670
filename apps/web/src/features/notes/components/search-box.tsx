import { useId, useState } from 'react';

import { CloseIcon, SearchIcon } from '../../../components/icons';
import { useDebouncedCallback } from '../../../lib/use-debounced-callback';

const DEBOUNCE_MS = 300;

/** Full-text search of the notes, sent to the server 300 ms after the last keystroke. */
export function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const id = useId();
  const [text, setText] = useState(value);
  // Follow the URL when it changes from outside (back button, a link that clears the search).
  const [lastValue, setLastValue] = useState(value);
  if (value !== lastValue) {
    setLastValue(value);
    if (value !== text.trim()) setText(value);
  }
  const search = useDebouncedCallback((q: string) => onSearch(q.trim()), DEBOUNCE_MS);

  return (
    <div className="search-box" role="search">
      <label htmlFor={id} className="visually-hidden">
        Search notes
      </label>
      <SearchIcon className="search-box-icon" />
      <input
        id={id}
        type="search"
        className="input search-box-input"
        placeholder="Search notes"
        autoComplete="off"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          search(e.target.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') onSearch(text.trim());
          if (e.key === 'Escape' && text) {
            setText('');
            onSearch('');
          }
        }}
      />
      {text && (
        <button
          type="button"
          className="icon-btn search-box-clear"
          aria-label="Clear search"
          onClick={() => {
            setText('');
            onSearch('');
          }}
        >
          <CloseIcon width={16} height={16} />
        </button>
      )}
    </div>
  );
}
