export interface ThrowawayCluster {
  /** postgres://desk@127.0.0.1:PORT/desk */
  url: string;
  /** The same cluster's `postgres` database, for CREATE DATABASE / DROP DATABASE. */
  adminUrl: string;
  dir: string;
  port: number;
  /** The postmaster's process id. */
  pid: number;
  keeperPid: number;
  /** Stops the cluster (fast shutdown), deletes its directory; SIGKILLs the keeper's group after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}
export function startThrowawayCluster(options?: { timeoutMs?: number }): Promise<ThrowawayCluster>;
export function findPostgresBin(env?: NodeJS.ProcessEnv): string | null;
