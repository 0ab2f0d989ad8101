/**
 * Indexes the Reports page reads through, written once for both databases (SQLite migration 15,
 * PostgreSQL migration 2). Measured with bench:reports (100,000 tickets over 90 days): without them the
 * counters fetched every roll-up row from the table, and the resolution times were sorted per solver.
 */
export const REPORT_INDEXES_SQL = `
-- Covering: the counters, hand-offs and backlog changes are summed from the index alone.
CREATE INDEX report_daily_covering ON report_daily(metric, day, channel, intent_id, value);
-- Per solver in order: each agent's resolution times come grouped without a sort.
CREATE INDEX report_tickets_solver ON report_tickets(solved_by, solved_at, channel, intent_id, resolution_seconds);
`;
