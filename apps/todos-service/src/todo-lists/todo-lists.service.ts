import type { AccessRole, MemberRole } from '@micronote/contracts';
import { MEMBER_ROLES, SHARING_LIMITS, TODO_LIST_LIMITS } from '@micronote/contracts';
import type { TodoListEventEnvelope } from '@micronote/events';
import { CacheScope, ChangeFeed, withClient } from '@micronote/events';
import type { todosV1 } from '@micronote/proto';
import type { Clock, MemberRow } from '@micronote/server-data';
import { checkUserId, CLOCK, isId, isoOrUndefined, withinLength } from '@micronote/server-data';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { TodosRepository } from '../todos/todos.repository';
import { TodoListErrors } from './todo-lists.errors';
import type { TodoListRow } from './todo-lists.repository';
import { TodoListsRepository } from './todo-lists.repository';

const CACHE_SCOPE = CacheScope.Todos;
const RANK: Record<AccessRole, number> = { viewer: 0, editor: 1, owner: 2 };

/** A list and the caller's role in it. */
export interface ListAccess {
  list: TodoListRow;
  role: AccessRole;
}

type MemberChange = NonNullable<TodoListEventEnvelope['member']>;

export function checkListName(name: string): string {
  const trimmed = (name ?? '').trim();
  const { min, max } = TODO_LIST_LIMITS.name;
  if (!withinLength(trimmed, min, max)) throw TodoListErrors.invalid(`name must be ${min} to ${max} characters (after trimming)`);
  return trimmed;
}

function checkRole(role: string): MemberRole {
  if (!(MEMBER_ROLES as readonly string[]).includes(role)) throw TodoListErrors.invalid(`role must be one of ${MEMBER_ROLES.join(', ')}`);
  return role as MemberRole;
}

export function toTodoList(row: TodoListRow, role: AccessRole, open = 0): todosV1.TodoList {
  return {
    id: String(row.id),
    name: row.name,
    ownerId: String(row.user_id),
    role,
    members: Number(row.members ?? 0),
    open,
    version: Number(row.version),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toListMember(row: MemberRow): todosV1.ListMember {
  return {
    userId: String(row.user_id),
    role: row.role,
    status: row.status,
    invitedBy: String(row.invited_by),
    invitedAt: row.invited_at.toISOString(),
    acceptedAt: isoOrUndefined(row.accepted_at),
  };
}

/**
 * Todo lists shared with people. The owner (todo_lists.user_id) does everything; an accepted
 * editor writes the list's todos; an accepted viewer reads. Anyone else, a pending invitee
 * included, gets LIST_NOT_FOUND (404), a member lacking the role INSUFFICIENT_ROLE (403).
 * Every change reaches the owner's and every accepted member's stream and read cache, the list
 * as each of them sees it (their role).
 */
@Injectable()
export class TodoListsService {
  constructor(
    private readonly repo: TodoListsRepository,
    private readonly todos: TodosRepository,
    private readonly feed: ChangeFeed,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The caller's access to the list, at least `needed`; 404 for a non-member, 403 for too small a role. */
  async access(userId: string, listId: string, needed: AccessRole = 'viewer', manager?: EntityManager, lock = false): Promise<ListAccess> {
    const list = isId(listId) ? await this.repo.find(listId, manager, lock) : undefined;
    if (!list) throw TodoListErrors.notFound();
    const role = String(list.user_id) === userId ? 'owner' : await this.memberRole(listId, userId, manager);
    if (!role) throw TodoListErrors.notFound();
    if (RANK[role] < RANK[needed]) throw TodoListErrors.insufficientRole(needed);
    return { list, role };
  }

  /** The caller's role in a list, or null when they have none (not a list, not theirs, pending). */
  async roleOf(userId: string, listId: string, manager?: EntityManager): Promise<AccessRole | null> {
    try {
      return (await this.access(userId, listId, 'viewer', manager)).role;
    } catch {
      return null;
    }
  }

  /** An accepted member's role; null for a pending invitee or no member. */
  private async memberRole(listId: string, userId: string, manager?: EntityManager): Promise<MemberRole | null> {
    const row = await this.repo.members.find(listId, userId, manager);
    return row?.status === 'accepted' ? row.role : null;
  }

  /** The open todos of one list. */
  private async openOf(listId: string): Promise<number> {
    return (await this.repo.openCounts([listId])).get(listId) ?? 0;
  }

  findList(listId: string, manager?: EntityManager): Promise<TodoListRow | undefined> {
    return this.repo.find(listId, manager);
  }

  /** Who hears of a change in the list: the owner and every accepted member. */
  async audience(list: TodoListRow, manager?: EntityManager): Promise<string[]> {
    if (Number(list.members) === 0) return [String(list.user_id)];
    return [String(list.user_id), ...(await this.repo.members.memberIds(String(list.id), manager))];
  }

  async create(request: todosV1.CreateTodoListRequest): Promise<todosV1.TodoList> {
    const userId = checkUserId(request.userId);
    const name = checkListName(request.name);
    const now = this.clock.now();
    const id = await this.repo.transaction(async (manager) => {
      // Serialised per owner by the usage row? Lists are few: a count is enough (a race can pass the cap by one).
      if ((await this.repo.countOwnedBy(userId, manager)) >= TODO_LIST_LIMITS.maxPerUser) {
        throw TodoListErrors.tooManyLists(TODO_LIST_LIMITS.maxPerUser);
      }
      return this.repo.insert(userId, name, now, manager);
    });
    const list = toTodoList({ id, user_id: userId, name, version: 1, created_at: now, updated_at: now, members: 0 }, 'owner');
    await this.feed.changed(CACHE_SCOPE, userId, { type: 'TODO_LIST_UPDATED', userId, listId: id, list });
    return list;
  }

  async get(request: todosV1.GetTodoListRequest): Promise<todosV1.TodoList> {
    const userId = checkUserId(request.userId);
    const { list, role } = await this.access(userId, request.id);
    return toTodoList(list, role, await this.openOf(String(list.id)));
  }

  /** The caller's own lists, then those shared with them (accepted), each by name. */
  async list(request: todosV1.ListTodoListsRequest): Promise<todosV1.ListTodoListsResponse> {
    const userId = checkUserId(request.userId);
    const [own, memberships] = await Promise.all([this.repo.ownedBy(userId), this.repo.sharedWith(userId, 'accepted')]);
    const shared = memberships.sort((a, b) => a.name.localeCompare(b.name) || Number(a.id) - Number(b.id));
    const open = await this.repo.openCounts([...own, ...shared].map((l) => String(l.id)));
    return {
      items: [
        ...own.map((l) => toTodoList(l, 'owner', open.get(String(l.id)))),
        ...shared.map((l) => toTodoList(l, l.role, open.get(String(l.id)))),
      ],
    };
  }

  /** Rename (owner only); the same name again changes nothing. */
  async update(request: todosV1.UpdateTodoListRequest): Promise<todosV1.TodoList> {
    const userId = checkUserId(request.userId);
    const name = checkListName(request.name);
    const { list, changed } = await this.repo.transaction(async (manager) => {
      const { list } = await this.access(userId, request.id, 'owner', manager, true);
      if (list.name === name) return { list, changed: false };
      const now = this.clock.now();
      await this.repo.rename(String(list.id), name, now, manager);
      return { list: { ...list, name, version: Number(list.version) + 1, updated_at: now }, changed: true };
    });
    if (changed) await this.announce(list, undefined, request.clientId);
    return toTodoList(list, 'owner', await this.openOf(String(list.id)));
  }

  /** Deletes the list with its todos (owner only); their places in the owner's quota are given back. */
  async delete(request: todosV1.DeleteTodoListRequest): Promise<void> {
    const userId = checkUserId(request.userId);
    const { list, receivers } = await this.repo.transaction(async (manager) => {
      const { list } = await this.access(userId, request.id, 'owner', manager, true);
      const members = await this.repo.members.list(String(list.id), manager);
      const todos = await this.todos.countOfList(String(list.id), manager);
      await this.repo.delete(String(list.id), manager);
      if (todos > 0) await this.todos.usage.add(userId, { items: -todos, bytes: 0 }, manager);
      return { list, receivers: [userId, ...members.map((m) => String(m.user_id))] };
    });
    const listId = String(list.id);
    await this.feed.changedFor(CACHE_SCOPE, receivers, (receiver) => ({
      type: 'TODO_LIST_DELETED',
      userId: receiver,
      listId,
      ...withClient(request.clientId),
    }));
  }

  /** Invites a user (owner only) as a pending member. */
  async invite(request: todosV1.InviteListMemberRequest): Promise<todosV1.ListMember> {
    const userId = checkUserId(request.userId);
    const role = checkRole(request.role);
    if (!isId(request.memberId)) throw TodoListErrors.invalid('memberId must be a user id');
    const now = this.clock.now();
    const { list, member } = await this.repo.transaction(async (manager) => {
      const { list } = await this.access(userId, request.listId, 'owner', manager, true);
      if (request.memberId === userId) throw TodoListErrors.cannotShareWithSelf();
      if ((await this.repo.members.count(String(list.id), manager)) >= SHARING_LIMITS.membersPerItem) {
        throw TodoListErrors.tooManyMembers(SHARING_LIMITS.membersPerItem);
      }
      if (await this.repo.members.find(String(list.id), request.memberId, manager)) throw TodoListErrors.alreadyMember();
      await this.repo.members.invite(
        { itemId: String(list.id), userId: request.memberId, role, invitedBy: userId, invitedAt: now },
        manager,
      );
      const member: MemberRow = {
        item_id: String(list.id),
        user_id: request.memberId,
        role,
        status: 'pending',
        invited_by: userId,
        invited_at: now,
        accepted_at: null,
      };
      return { list, member };
    });
    await this.announce(list, { userId: member.user_id, role, status: 'pending' }, undefined, [member.user_id]);
    return toListMember(member);
  }

  /** The owner and every member (pending too), for the owner and accepted members. */
  async members(request: todosV1.ListListMembersRequest): Promise<todosV1.ListListMembersResponse> {
    const userId = checkUserId(request.userId);
    const { list } = await this.access(userId, request.listId);
    const rows = await this.repo.members.list(String(list.id));
    return { ownerId: String(list.user_id), items: rows.map(toListMember) };
  }

  /** Changes a member's role (owner only). */
  async updateMember(request: todosV1.UpdateListMemberRequest): Promise<todosV1.ListMember> {
    const userId = checkUserId(request.userId);
    const role = checkRole(request.role);
    const { list, member, changed } = await this.repo.transaction(async (manager) => {
      const { list } = await this.access(userId, request.listId, 'owner', manager, true);
      const row = isId(request.memberId) ? await this.repo.members.find(String(list.id), request.memberId, manager) : undefined;
      if (!row) throw TodoListErrors.memberNotFound();
      if (row.role === role) return { list, member: row, changed: false };
      await this.repo.members.setRole(String(list.id), request.memberId, role, manager);
      return { list, member: { ...row, role }, changed: true };
    });
    if (changed)
      await this.announce(list, { userId: String(member.user_id), role, status: member.status }, undefined, [String(member.user_id)]);
    return toListMember(member);
  }

  /** The owner removes anyone; a member (pending too) removes themself: leave or decline. */
  async removeMember(request: todosV1.RemoveListMemberRequest): Promise<void> {
    const userId = checkUserId(request.userId);
    if (!isId(request.listId)) throw TodoListErrors.notFound();
    const self = request.memberId === userId;
    const list = await this.repo.transaction(async (manager) => {
      const list = await this.repo.find(request.listId, manager, true);
      if (!list) throw TodoListErrors.notFound();
      const isOwner = String(list.user_id) === userId;
      if (!isOwner) {
        const mine = await this.repo.members.find(request.listId, userId, manager);
        // Not a member at all: the list does not exist for them. A member may only remove themself.
        if (!mine) throw TodoListErrors.notFound();
        if (!self) {
          if (mine.status !== 'accepted') throw TodoListErrors.notFound();
          throw TodoListErrors.insufficientRole('owner');
        }
      } else if (self) {
        throw TodoListErrors.invalid('the owner is not a member: delete the list instead');
      }
      if (!isId(request.memberId) || !(await this.repo.members.remove(request.listId, request.memberId, manager))) {
        throw TodoListErrors.memberNotFound();
      }
      return list;
    });
    await this.announce(list, { userId: request.memberId, role: null, status: null }, undefined, [request.memberId]);
  }

  /** Accepts a pending invitation: the list joins the caller's lists. Accepting twice is fine. */
  async accept(request: todosV1.AcceptListInvitationRequest): Promise<todosV1.TodoList> {
    const userId = checkUserId(request.userId);
    if (!isId(request.listId)) throw TodoListErrors.notFound();
    const { list, member, accepted } = await this.repo.transaction(async (manager) => {
      const list = await this.repo.find(request.listId, manager, true);
      const row = list && (await this.repo.members.find(request.listId, userId, manager));
      if (!list || !row) throw TodoListErrors.notFound();
      const accepted = row.status === 'pending' && (await this.repo.members.accept(request.listId, userId, this.clock.now(), manager));
      return { list, member: row, accepted };
    });
    if (accepted) await this.announce(list, { userId, role: member.role, status: 'accepted' });
    const members = Number(list.members) + (accepted ? 1 : 0);
    return toTodoList({ ...list, members }, member.role, await this.openOf(String(list.id)));
  }

  /** The caller's pending invitations, newest first. */
  async invitations(request: todosV1.ListListInvitationsRequest): Promise<todosV1.ListListInvitationsResponse> {
    const userId = checkUserId(request.userId);
    const pending = await this.repo.sharedWith(userId, 'pending');
    return {
      items: pending.map((list) => ({
        listId: String(list.id),
        name: list.name,
        role: list.role,
        ownerId: String(list.user_id),
        invitedAt: list.invited_at.toISOString(),
      })),
    };
  }

  /**
   * Account deletion: the user leaves every list shared with them (the owners and members hear of
   * it), and their own lists go with their members (who get TODO_LIST_DELETED). Their todos are
   * deleted by the caller (TodosService.deleteAllOfUser), the lists' todos with them.
   */
  async deleteAllOfUser(userId: string): Promise<void> {
    const left = await this.repo.transaction((manager) => this.repo.members.removeAllOf(userId, manager));
    for (const membership of left) {
      const list = await this.repo.find(membership.itemId);
      if (list) await this.announce(list, { userId, role: null, status: null });
    }
    for (const list of await this.repo.ownedBy(userId)) {
      const members = await this.repo.members.list(String(list.id));
      await this.repo.transaction((manager) => this.repo.delete(String(list.id), manager));
      await this.feed.changedFor(CACHE_SCOPE, [userId, ...members.map((m) => String(m.user_id))], (receiver) => ({
        type: 'TODO_LIST_DELETED',
        userId: receiver,
        listId: String(list.id),
      }));
    }
  }

  /**
   * TODO_LIST_UPDATED to the owner, every accepted member and `also` (an invitee, a removed
   * member), each with the list as they see it.
   */
  private async announce(list: TodoListRow, member: MemberChange | undefined, clientId?: string, also: string[] = []): Promise<void> {
    const listId = String(list.id);
    const [rows, open, current] = await Promise.all([this.repo.members.list(listId), this.openOf(listId), this.repo.find(listId)]);
    const roles = new Map<string, AccessRole>([[String(list.user_id), 'owner']]);
    for (const row of rows) if (row.status === 'accepted' || also.includes(String(row.user_id))) roles.set(String(row.user_id), row.role);
    const receivers = [...new Set([...roles.keys(), ...also])];
    // The member count as it is now (a change of membership moved it).
    const shown = current ? { ...list, members: current.members } : list;
    await this.feed.changedFor(CACHE_SCOPE, receivers, (receiver) => {
      const role = roles.get(receiver);
      return {
        type: 'TODO_LIST_UPDATED',
        userId: receiver,
        listId,
        ...(role && { list: toTodoList(shown, role, open) }),
        ...(member && { member }),
        ...withClient(clientId),
      };
    });
  }
}
