import { Report, ReportSettings } from '@desk/core';
import { createMutation, createQuery, useQueryClient } from '@tanstack/solid-query';
import type { Accessor } from 'solid-js';
import { api } from '../api/client.ts';
import { invalidateMisses } from './misses.ts';

/**
 * Reports (server-only, admins): a report for a query string, asked only while `enabled` (online,
 * with a whole range), and the workspace's report settings. The page keeps the last answer per
 * query for offline reading (features/reports/report-cache.ts).
 */
export function createReport(params: Accessor<string>, enabled: Accessor<boolean>) {
  return createQuery(() => ({
    queryKey: ['report', params()],
    queryFn: async () => Report.parse(await api<unknown>(`/api/reports?${params()}`)),
    enabled: enabled(),
    staleTime: 0,
    retry: false,
  }));
}

const SETTINGS = ['report-settings'];

export function createReportSettings() {
  return createQuery(() => ({ queryKey: SETTINGS, queryFn: async () => ReportSettings.parse(await api<unknown>('/api/reports/settings')) }));
}

/** Saves the time zone and the misses' retention; the settings and the misses inbox are read again. */
export function createReportSettingsSave() {
  const client = useQueryClient();
  return createMutation(() => ({
    mutationKey: ['report-settings-save'],
    mutationFn: (settings: ReportSettings) => api<unknown>('/api/reports/settings', { method: 'PUT', body: settings }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: SETTINGS });
      await invalidateMisses(client);
    },
  }));
}
