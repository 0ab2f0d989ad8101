/** The IndexedDB database of one agent's data on this device. */
export function databaseName(agentId: string): string {
  return `desk-${agentId}`;
}
