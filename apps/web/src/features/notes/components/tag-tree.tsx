import type { KeyboardEvent } from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';

import { ChevronRightIcon, MoreIcon } from '../../../components/icons';
import { plural } from '../../../lib/format';
import type { TagNode } from '../lib/tag-tree';
import { visibleTagNodes } from '../lib/tag-tree';

export interface TagTreeProps {
  nodes: readonly TagNode[];
  /** The open parents. */
  expanded: ReadonlySet<string>;
  /** The tag the list is filtered by ('' = none). */
  selected: string;
  onToggle: (tag: string, open: boolean) => void;
  onSelect: (tag: string) => void;
  onRename: (tag: string) => void;
  /** The id of the element that names the tree. */
  labelledBy: string;
}

/** What the count means: the subtree's sum (a note tagged both `a` and `a/b` counts twice). */
function countTitle(node: TagNode): string {
  if (node.children.length === 0) return `${plural(node.count, 'note')} tagged “${node.tag}”`;
  return `${node.total}: the notes of “${node.tag}” and its sub-tags added up (a note with several of them counts once for each); ${plural(node.count, 'note')} tagged “${node.tag}” itself`;
}

/**
 * The tags as a tree (WAI-ARIA tree view pattern): one tab stop (roving tabindex); ↑/↓ move,
 * → opens a parent or enters it, ← closes it or goes to the parent, Home/End, a letter jumps to
 * the next tag starting with it; Enter (or a click) filters the list by the tag, F2 renames it,
 * Shift+F10 or the context-menu key opens its menu.
 */
export function TagTree({ nodes, expanded, selected, onToggle, onSelect, onRename, labelledBy }: TagTreeProps) {
  const visible = useMemo(() => visibleTagNodes(nodes, expanded), [nodes, expanded]);
  const [focused, setFocused] = useState<string | null>(null);
  const [menuFor, setMenuFor] = useState<string | null>(null);
  const items = useRef(new Map<string, HTMLLIElement>());

  // The tab stop: the tag last focused while it is still shown, else the selected one, else the first.
  const isVisible = (tag: string | null) => tag !== null && visible.some((v) => v.node.tag === tag);
  const active = isVisible(focused) ? focused : isVisible(selected) ? selected : (visible[0]?.node.tag ?? null);

  const focusTag = (tag: string) => {
    setFocused(tag);
    items.current.get(tag)?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const index = visible.findIndex((v) => v.node.tag === active);
    const current = visible[index];
    if (!current) return;
    const { node, parent } = current;
    const hasChildren = node.children.length > 0;
    const isOpen = hasChildren && expanded.has(node.tag);
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        if (index < visible.length - 1) focusTag(visible[index + 1].node.tag);
        break;
      case 'ArrowUp':
        if (index > 0) focusTag(visible[index - 1].node.tag);
        break;
      case 'ArrowRight':
        if (hasChildren && !isOpen) onToggle(node.tag, true);
        else if (isOpen) focusTag(node.children[0].tag);
        break;
      case 'ArrowLeft':
        if (isOpen) onToggle(node.tag, false);
        else if (parent) focusTag(parent);
        break;
      case 'Home':
        focusTag(visible[0].node.tag);
        break;
      case 'End':
        focusTag(visible[visible.length - 1].node.tag);
        break;
      case 'Enter':
        onSelect(node.tag);
        break;
      case 'F2':
        onRename(node.tag);
        break;
      case 'ContextMenu':
        setMenuFor(node.tag);
        break;
      default:
        if (event.key === 'F10' && event.shiftKey) setMenuFor(node.tag);
        else if (event.key.length === 1 && /\S/.test(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
          // Type-ahead: the next shown tag whose name starts with the letter.
          const letter = event.key.toLocaleLowerCase();
          const order = [...visible.slice(index + 1), ...visible.slice(0, index + 1)];
          const next = order.find((v) => v.node.name.toLocaleLowerCase().startsWith(letter));
          if (next) focusTag(next.node.tag);
        } else handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  };

  const renderNodes = (list: readonly TagNode[], level: number) =>
    list.map((node, i) => {
      const hasChildren = node.children.length > 0;
      const isOpen = hasChildren && expanded.has(node.tag);
      return (
        <li
          key={node.tag}
          ref={(el) => {
            if (el) items.current.set(node.tag, el);
            else items.current.delete(node.tag);
          }}
          role="treeitem"
          className="tag-node"
          aria-level={level}
          aria-setsize={list.length}
          aria-posinset={i + 1}
          aria-expanded={hasChildren ? isOpen : undefined}
          aria-selected={node.tag === selected}
          aria-label={`${node.name}, ${plural(node.total, 'note')}`}
          data-tag={node.tag}
          tabIndex={node.tag === active ? 0 : -1}
          onFocus={(event) => {
            if (event.target === event.currentTarget) setFocused(node.tag);
          }}
        >
          <div
            className="tag-node-row"
            style={{ paddingLeft: `${(level - 1) * 14 + 2}px` }}
            onClick={() => {
              focusTag(node.tag);
              onSelect(node.tag);
            }}
          >
            <span
              className={`tag-node-toggle${isOpen ? ' is-open' : ''}`}
              aria-hidden="true"
              onClick={(event) => {
                if (!hasChildren) return;
                event.stopPropagation();
                focusTag(node.tag);
                onToggle(node.tag, !isOpen);
              }}
            >
              {hasChildren && <ChevronRightIcon width={14} height={14} />}
            </span>
            <span className="tag-node-name">{node.name}</span>
            <span className="tag-node-count" title={countTitle(node)}>
              {node.total}
            </span>
            <button
              type="button"
              className="tag-node-menu-btn"
              tabIndex={-1}
              aria-label={`Actions for “${node.tag}”`}
              aria-haspopup="menu"
              aria-expanded={menuFor === node.tag}
              onClick={(event) => {
                event.stopPropagation();
                setMenuFor(menuFor === node.tag ? null : node.tag);
              }}
            >
              <MoreIcon width={14} height={14} />
            </button>
          </div>
          {menuFor === node.tag && (
            <TagNodeMenu
              tag={node.tag}
              onClose={(returnFocus) => {
                setMenuFor(null);
                if (returnFocus) focusTag(node.tag);
              }}
              onRename={() => {
                setMenuFor(null);
                onRename(node.tag);
              }}
            />
          )}
          {isOpen && (
            <ul role="group" className="tag-tree-group">
              {renderNodes(node.children, level + 1)}
            </ul>
          )}
        </li>
      );
    });

  return (
    <ul role="tree" className="tag-tree" aria-labelledby={labelledBy} onKeyDown={onKeyDown}>
      {renderNodes(nodes, 1)}
    </ul>
  );
}

/** A node's menu (WAI-ARIA menu: focus on its first item, Escape or a click elsewhere closes it). */
function TagNodeMenu({ tag, onClose, onRename }: { tag: string; onClose: (returnFocus: boolean) => void; onRename: () => void }) {
  const ref = useRef<HTMLUListElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, []);
  return (
    <ul
      ref={ref}
      role="menu"
      className="tag-node-menu"
      aria-label={`Actions for “${tag}”`}
      onClick={(event) => event.stopPropagation()}
      onKeyDown={(event) => {
        // The tree's keys do not apply inside the menu.
        event.stopPropagation();
        if (event.key === 'Escape' || event.key === 'Tab') {
          event.preventDefault();
          onClose(true);
        }
      }}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) onClose(false);
      }}
    >
      <li role="none">
        <button type="button" role="menuitem" className="tag-node-menu-item" onClick={onRename}>
          Rename…
        </button>
      </li>
    </ul>
  );
}
