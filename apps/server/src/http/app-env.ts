import type { Agent } from '@desk/core';

/** Per-request values set by the auth middleware, typed for every handler. */
export interface AppEnv {
  Variables: {
    agent: Agent;
    sessionTokenHash: string;
    /** The client's address, resolved once per request (see client-address.ts). */
    clientAddress: string;
  };
}
