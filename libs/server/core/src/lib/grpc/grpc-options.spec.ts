import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { grpcServiceConfig, grpcTarget, resolveProtoRoot } from './grpc-options';

describe(grpcTarget.name, () => {
  it('keeps a single address or a dns target as is', () => {
    expect(grpcTarget('127.0.0.1:50002')).toBe('127.0.0.1:50002');
    expect(grpcTarget('dns:///notes-service:50002')).toBe('dns:///notes-service:50002');
  });

  it('turns a comma list into one balanced ipv4 target', () => {
    expect(grpcTarget('127.0.0.1:50002, 127.0.0.1:50012')).toBe('ipv4:127.0.0.1:50002,127.0.0.1:50012');
  });

  it('refuses a comma list of names', () => {
    expect(() => grpcTarget('a:1,b:2')).toThrow(/dns:\/\//);
  });
});

describe(resolveProtoRoot.name, () => {
  it('finds the workspace protos when running from source', () => {
    expect(existsSync(join(resolveProtoRoot(), 'micronote/notes/v1/notes.proto'))).toBe(true);
  });
});

describe(grpcServiceConfig.name, () => {
  const retry = { service: 'micronote.notes.v1.NotesService', methods: ['GetNote', 'ListNotes'], maxRetries: 2 };

  it('retries the named reads on UNAVAILABLE only, maxAttempts = retries + 1, round-robin', () => {
    expect(grpcServiceConfig(retry)).toEqual({
      loadBalancingConfig: [{ round_robin: {} }],
      methodConfig: [
        {
          name: [
            { service: 'micronote.notes.v1.NotesService', method: 'GetNote' },
            { service: 'micronote.notes.v1.NotesService', method: 'ListNotes' },
          ],
          retryPolicy: { maxAttempts: 3, initialBackoff: '0.025s', maxBackoff: '0.2s', backoffMultiplier: 2, retryableStatusCodes: ['UNAVAILABLE'] },
        },
      ],
    });
  });

  it('has no retry policy with 0 retries or no methods (grpc-js refuses maxAttempts < 2)', () => {
    expect(grpcServiceConfig({ ...retry, maxRetries: 0 }).methodConfig).toEqual([]);
    expect(grpcServiceConfig({ ...retry, methods: [] }).methodConfig).toEqual([]);
    expect(grpcServiceConfig().methodConfig).toEqual([]);
  });
});
