import type { FanoutBus } from './fanout-bus.ts';
import { InProcessFanout } from './in-process-fanout.ts';
import { PostgresFanout } from './postgres-fanout.ts';

/** True when DATABASE_URL points at PostgreSQL (the query layer reads the same variable). */
export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url.trim());
}

/**
 * The fan-out bus of this deployment: LISTEN/NOTIFY over a connection of its own when
 * DATABASE_URL is a PostgreSQL URL (several instances may share the database), otherwise in-process.
 */
export function selectFanout(env: NodeJS.ProcessEnv = process.env): FanoutBus {
  const url = env.DATABASE_URL;
  return isPostgresUrl(url) ? new PostgresFanout({ connectionString: url.trim() }) : new InProcessFanout();
}
