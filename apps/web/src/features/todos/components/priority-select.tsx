import type { TodoPriority } from '@micronote/contracts';

/** The labelled priority picker of the todo forms. */
export function PrioritySelect({ value, onChange }: { value: TodoPriority; onChange: (value: TodoPriority) => void }) {
  return (
    <label className="inline-field">
      Priority
      <select className="select" value={value} onChange={(e) => onChange(e.target.value as TodoPriority)}>
        <option value="high">High</option>
        <option value="medium">Medium</option>
        <option value="low">Low</option>
      </select>
    </label>
  );
}
