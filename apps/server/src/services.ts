import { AgentsRepo } from './accounts/agents-repo.ts';
import { LoginThrottle } from './accounts/login-throttle.ts';
import { PasswordTokens } from './accounts/password-tokens.ts';
import { Sessions } from './accounts/sessions.ts';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { ChangeFeed } from './sync/change-feed.ts';

/** Everything the routes need, built once per server from the database and the config. */
export function createServices(db: Db, config: Config) {
  const changes = new ChangeFeed(db);
  const agents = new AgentsRepo(db, changes);
  return {
    db,
    config,
    changes,
    agents,
    sessions: new Sessions(db, config.sessionDays),
    passwordTokens: new PasswordTokens(db),
    throttle: new LoginThrottle(),
  };
}
export type Services = ReturnType<typeof createServices>;
