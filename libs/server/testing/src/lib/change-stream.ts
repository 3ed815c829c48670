import { notesV1, PROTO_FILES, todosV1 } from '@micronote/proto';
import type { GrpcTls } from '@micronote/server-core';
import { callMetadata } from '@micronote/server-core';
import type { Observable } from 'rxjs';

import { grpcTestClient, testIdentity } from './test-infra';

interface ChangeStreams {
  notes: notesV1.NoteEvent;
  todos: todosV1.TodoEvent;
}

export interface ChangeSubscription<E> {
  /** Every event received so far, in order. */
  readonly events: E[];
  /** The events once at least `count` have arrived; rejects on a stream error or after `timeoutMs`. */
  until(count: number, timeoutMs?: number): Promise<E[]>;
  /** Cancels the stream (the service stops watching) and closes the client. */
  close(): void;
}

/**
 * The internal way to follow one user's changes over gRPC: notes-service `StreamNoteUpdates` or
 * todos-service `StreamTodoUpdates`. Events after `lastEventId` come first (empty or absent: live
 * events only), then live ones, in order; a `RESYNC` event says the missed ones are no longer all
 * kept. The call carries the gateway's development identity for `userId`, as the gateway would.
 *
 *   const changes = subscribeToUserChanges('notes', { url: '127.0.0.1:50002', userId: '42' });
 *   const [first] = await changes.until(1);
 *   changes.close();
 */
export function subscribeToUserChanges<K extends keyof ChangeStreams>(
  service: K,
  spec: { url: string; userId: string; lastEventId?: string; tls?: GrpcTls },
): ChangeSubscription<ChangeStreams[K]> {
  const request = { userId: spec.userId, lastEventId: spec.lastEventId ?? '' };
  const metadata = callMetadata({ identity: testIdentity(`${service}-service`, spec.userId) });
  let client: { close(): void };
  let stream: Observable<ChangeStreams[K]>;
  if (service === 'notes') {
    const notes = grpcTestClient<notesV1.NotesServiceClient>({
      packageName: notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME,
      protoFile: PROTO_FILES.notes,
      serviceName: notesV1.NOTES_SERVICE_NAME,
      url: spec.url,
      tls: spec.tls,
    });
    [client, stream] = [notes, notes.service.streamNoteUpdates(request, metadata) as Observable<ChangeStreams[K]>];
  } else {
    const todos = grpcTestClient<todosV1.TodosServiceClient>({
      packageName: todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME,
      protoFile: PROTO_FILES.todos,
      serviceName: todosV1.TODOS_SERVICE_NAME,
      url: spec.url,
      tls: spec.tls,
    });
    [client, stream] = [todos, todos.service.streamTodoUpdates(request, metadata) as Observable<ChangeStreams[K]>];
  }
  const events: ChangeStreams[K][] = [];
  let failure: unknown;
  const subscription = stream.subscribe({ next: (event) => events.push(event), error: (error: unknown) => (failure = error) });
  return {
    events,
    async until(count, timeoutMs = 3_000) {
      for (const started = Date.now(); events.length < count; await new Promise((r) => setTimeout(r, 10))) {
        if (failure) throw failure;
        if (Date.now() - started > timeoutMs) throw new Error(`${events.length} of ${count} ${service} events after ${timeoutMs} ms`);
      }
      return events;
    },
    close() {
      subscription.unsubscribe();
      client.close();
    },
  };
}
