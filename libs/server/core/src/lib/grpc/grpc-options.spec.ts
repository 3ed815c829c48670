import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { grpcTarget, resolveProtoRoot } from './grpc-options';

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
