import { TODO_LIMITS } from '@micronote/contracts';
import { Injectable } from '@nestjs/common';
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import type { EntityManager } from 'typeorm';

import type { PositionRow, Siblings } from './todos.repository';
import { TodosRepository } from './todos.repository';

/**
 * The manual order of todos: every todo has a fractional index (`position`, fractional-indexing
 * keys, compared as bytes) among its siblings, so a move writes one row. Ties (two appends that
 * raced) sort by id and are split by the next move that needs to go between them. A key that
 * would grow past TODO_LIMITS.position.max (after many moves into the same gap) first renumbers
 * the siblings with short, evenly spread keys, which keeps their order.
 */
@Injectable()
export class TodoOrder {
  constructor(private readonly repo: TodosRepository) {}

  /** A position after every sibling (a new todo, or one that joins other siblings). */
  async atEnd(siblings: Siblings, manager: EntityManager): Promise<string> {
    const last = await this.repo.edgeSibling(siblings, 'last', manager);
    const key = generateKeyBetween(last?.position ?? null, null);
    if (key.length <= TODO_LIMITS.position.max) return key;
    const renumbered = await this.renumber(siblings, manager);
    return generateKeyBetween(renumbered.at(-1)?.position ?? null, null);
  }

  /** `count` positions after every sibling, in order (an import). */
  async manyAtEnd(siblings: Siblings, count: number, manager: EntityManager): Promise<string[]> {
    const last = await this.repo.edgeSibling(siblings, 'last', manager);
    return generateNKeysBetween(last?.position ?? null, null, count);
  }

  /**
   * The position between `after` and `before` (siblings of the moving todo; either may be absent:
   * the start or the end). With only one neighbour, the other is its nearest sibling on that side
   * (the moving todo's own old place may be that one: a key between it and the neighbour is still
   * right beside the neighbour). When `after` does
   * not sort before `before` (the caller's copy of the order is stale, or they are tied), the todo
   * goes right after `after`.
   */
  async between(
    siblings: Siblings,
    after: PositionRow | undefined,
    before: PositionRow | undefined,
    manager: EntityManager,
  ): Promise<string> {
    const bounds = await this.bounds(siblings, after, before, manager);
    const key = generateKeyBetween(bounds.low, bounds.high);
    if (key.length <= TODO_LIMITS.position.max) return key;
    // Renumbered, the neighbours have new positions: look them up again.
    const renumbered = new Map((await this.renumber(siblings, manager)).map((row) => [row.id, row]));
    const again = await this.bounds(siblings, after && renumbered.get(after.id), before && renumbered.get(before.id), manager);
    return generateKeyBetween(again.low, again.high);
  }

  private async bounds(
    siblings: Siblings,
    after: PositionRow | undefined,
    before: PositionRow | undefined,
    manager: EntityManager,
  ): Promise<{ low: string | null; high: string | null }> {
    if (after && (!before || after.position >= before.position)) {
      const next = await this.repo.siblingBeside(siblings, after.position, 'after', manager);
      return { low: after.position, high: next?.position ?? null };
    }
    if (before && !after) {
      const previous = await this.repo.siblingBeside(siblings, before.position, 'before', manager);
      return { low: previous?.position ?? null, high: before.position };
    }
    if (after && before) return { low: after.position, high: before.position };
    // Neither: the start of the list.
    const first = await this.repo.edgeSibling(siblings, 'first', manager);
    return { low: null, high: first?.position ?? null };
  }

  /** Short keys for every sibling in their current order (ties kept in id order). */
  private async renumber(siblings: Siblings, manager: EntityManager): Promise<PositionRow[]> {
    const rows = await this.repo.siblingsInOrder(siblings, manager);
    const keys = generateNKeysBetween(null, null, rows.length);
    const renumbered = rows.map((row, i) => ({ id: String(row.id), position: keys[i] }));
    await this.repo.setPositions(renumbered, manager);
    return renumbered;
  }
}
