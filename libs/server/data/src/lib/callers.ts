import type { AcceptedCallers } from '@micronote/server-core';

/** Who may call a twin service (notes, todos): the gateway for the signed-in user... */
export const FOR_USER: AcceptedCallers = { asUser: ['gateway'] };
/** ...and user-service's account purger as itself (DeleteUser…). */
export const PURGER: AcceptedCallers = { asService: ['user-service'] };
