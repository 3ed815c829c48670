import type { Announcements, DragEndEvent, ScreenReaderInstructions, UniqueIdentifier } from '@dnd-kit/core';
import { closestCenter, DndContext, KeyboardSensor, MeasuringStrategy, PointerSensor, useSensor, useSensors } from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import type { Todo } from '@micronote/contracts';
import type { ReactNode } from 'react';
import { useRef } from 'react';

import { GripIcon } from '../../../components/icons';
import { useMoveTodo } from '../api/move-todo';
import { moveNeighbours } from '../lib/move';
import type { SortableRowProps } from './todo-item';

const INSTRUCTIONS: ScreenReaderInstructions = {
  draggable:
    'To move this todo, press Space. While it is lifted, the up and down arrow keys move it, Space drops it in its new place, and Escape cancels.',
};

/**
 * Todos in "My order", reordered by dragging the handle (mouse, touch) or from the keyboard: focus
 * the handle, Space lifts, ↑/↓ move, Space drops, Escape cancels; each step is announced (dnd-kit's
 * live region). A drop moves the row at once and posts its new neighbours (useMoveTodo).
 */
export function SortableTodos({
  todos,
  queryKey,
  label,
  renderItem,
}: {
  todos: Todo[];
  /** The cached list the todos come from: reordered in place on a drop. */
  queryKey: readonly unknown[];
  label: string;
  renderItem: (todo: Todo, sortable: SortableRowProps) => ReactNode;
}) {
  const sensors = useSensors(
    // A few pixels before a drag starts, so a click on the handle stays a click.
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const mover = useMoveTodo();
  const ids = todos.map((t) => t.id);
  const n = ids.length;
  const text = (id: UniqueIdentifier) => todos.find((t) => t.id === id)?.text ?? 'the todo';
  const position = (id: UniqueIdentifier) => ids.indexOf(String(id)) + 1;

  // Where the row was last said to be: dnd-kit also reports "over" when nothing moved (the row over
  // itself right after the lift), which would replace the "Picked up" announcement at once.
  const overId = useRef<UniqueIdentifier | null>(null);
  const announcements: Announcements = {
    onDragStart: ({ active }) => {
      overId.current = active.id;
      return `Picked up “${text(active.id)}”, position ${position(active.id)} of ${n}.`;
    },
    onDragOver: ({ active, over }) => {
      if ((over?.id ?? null) === overId.current) return undefined;
      overId.current = over?.id ?? null;
      return over ? `“${text(active.id)}” moved to position ${position(over.id)} of ${n}.` : `“${text(active.id)}” is outside the list.`;
    },
    onDragEnd: ({ active, over }) =>
      over ? `“${text(active.id)}” dropped at position ${position(over.id)} of ${n}.` : `“${text(active.id)}” dropped where it was.`,
    onDragCancel: ({ active }) => `Moving “${text(active.id)}” cancelled. It stays at position ${position(active.id)} of ${n}.`,
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over) return;
    const moved = moveNeighbours(ids, ids.indexOf(String(active.id)), ids.indexOf(String(over.id)));
    const todo = todos.find((t) => t.id === active.id);
    if (!moved || !todo) return;
    mover.move({ todo, move: moved.request, queryKey, order: moved.order });
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      // The rows are measured before a drag starts: an arrow key pressed right after the lift
      // already has the neighbours to move over (measured only once dragging, it could do nothing).
      measuring={{ droppable: { strategy: MeasuringStrategy.BeforeDragging } }}
      accessibility={{ announcements, screenReaderInstructions: INSTRUCTIONS }}
      onDragEnd={onDragEnd}
    >
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>
        <ul className="todo-list is-sortable" aria-label={label}>
          {todos.map((todo) => (
            <SortableRow key={todo.id} todo={todo} renderItem={renderItem} />
          ))}
        </ul>
      </SortableContext>
    </DndContext>
  );
}

function SortableRow({ todo, renderItem }: { todo: Todo; renderItem: (todo: Todo, sortable: SortableRowProps) => ReactNode }) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: todo.id });
  const handle = (
    <button
      type="button"
      ref={setActivatorNodeRef}
      className="drag-handle"
      {...attributes}
      {...listeners}
      aria-label={`Move “${todo.text}”`}
      title="Drag to reorder, or press Space and use the arrow keys"
    >
      <GripIcon />
    </button>
  );
  return renderItem(todo, {
    ref: setNodeRef,
    style: { transform: CSS.Translate.toString(transform), transition, zIndex: isDragging ? 2 : undefined, position: 'relative' },
    dragging: isDragging,
    handle,
  });
}
