import type { Interceptor, Metadata } from '@grpc/grpc-js';
import { InterceptingCall } from '@grpc/grpc-js';
import { metric } from '@micronote/server-core';
import { Counter } from 'prom-client';

/** The metadata grpc-js adds to a call's answer (headers or status) when it took more than one attempt. */
const PREVIOUS_ATTEMPTS = 'grpc-previous-rpc-attempts';

export const retriesTotal = () =>
  metric(
    'micronote_grpc_client_retries_total',
    () =>
      new Counter({
        name: 'micronote_grpc_client_retries_total',
        help: 'Reads sent again (by grpc-js retry policy) after their downstream answered UNAVAILABLE',
        labelNames: ['grpc_service', 'grpc_method'],
      }),
  );

/** `/micronote.notes.v1.NotesService/GetNote` → `getNote`, as the other client metrics name methods. */
function methodOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/**
 * grpc-js retries inside the channel and tells no one, except through `grpc-previous-rpc-attempts`
 * on the answer it finally delivers: this interceptor (one per downstream `target`) adds that
 * number to micronote_grpc_client_retries_total, so the retries stay visible on /metrics and the
 * dashboard as they were when the gateway retried by hand.
 */
export function countRetries(target: string): Interceptor {
  return (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        let counted = false;
        const count = (answer: Metadata) => {
          if (counted) return;
          counted = true;
          const attempts = Number(answer.get(PREVIOUS_ATTEMPTS)[0] ?? 0);
          if (attempts > 0) retriesTotal().inc({ grpc_service: target, grpc_method: methodOf(options.method_definition.path) }, attempts);
        };
        next(metadata, {
          onReceiveMetadata(received, nextMetadata) {
            count(received);
            nextMetadata(received);
          },
          onReceiveStatus(status, nextStatus) {
            count(status.metadata);
            nextStatus(status);
          },
        });
      },
    });
}
