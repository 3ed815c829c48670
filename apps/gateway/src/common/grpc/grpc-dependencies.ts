import { authV1, notesV1, PROTO_FILES, todosV1, userV1 } from '@micronote/proto';

/** The gRPC services the gateway calls, with their address keys; used for clients and readiness. */
export const GRPC_DEPENDENCIES = [
  {
    key: 'auth-service',
    marker: 'login',
    packageName: authV1.MICRONOTE_AUTH_V1_PACKAGE_NAME,
    service: authV1.AUTH_SERVICE_NAME,
    protoFile: PROTO_FILES.auth,
    urlKey: 'GRPC_AUTH_URL',
  },
  {
    key: 'notes-service',
    marker: 'createNote',
    packageName: notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME,
    service: notesV1.NOTES_SERVICE_NAME,
    protoFile: PROTO_FILES.notes,
    urlKey: 'GRPC_NOTES_URL',
  },
  {
    key: 'todos-service',
    marker: 'createTodo',
    packageName: todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME,
    service: todosV1.TODOS_SERVICE_NAME,
    protoFile: PROTO_FILES.todos,
    urlKey: 'GRPC_TODOS_URL',
  },
  {
    key: 'user-service',
    marker: 'verifyCredentials',
    packageName: userV1.MICRONOTE_USER_V1_PACKAGE_NAME,
    service: userV1.USER_SERVICE_NAME,
    protoFile: PROTO_FILES.user,
    urlKey: 'GRPC_USER_URL',
  },
];
