import type { Agent } from '@desk/core';

/** Per-request values set by the auth middleware, typed for every handler. */
export interface AppEnv {
  Variables: {
    agent: Agent;
    sessionTokenHash: string;
  };
}
