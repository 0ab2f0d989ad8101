import { Report } from '@desk/core';

/** The last report loaded for each choice of range and filters: shown, with its time, when offline. */
const PREFIX = 'desk.report.';

export interface CachedReport {
  report: Report;
  loadedAt: string;
}

export function saveReport(key: string, report: Report): void {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify({ report, loadedAt: new Date().toISOString() }));
  } catch {
    // storage full or private mode: offline, the page says there is nothing saved
  }
}

export function loadReport(key: string): CachedReport | null {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as { report: unknown; loadedAt: unknown };
    const report = Report.safeParse(parsed.report);
    return report.success && typeof parsed.loadedAt === 'string' ? { report: report.data, loadedAt: parsed.loadedAt } : null;
  } catch {
    return null;
  }
}
