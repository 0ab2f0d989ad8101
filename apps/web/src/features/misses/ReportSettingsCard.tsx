import { ReportSettings } from '@desk/core';
import { createEffect, createSignal } from 'solid-js';
import { TextField } from '../../components/Field.tsx';
import { requestErrorText } from '../../components/online.ts';
import { t } from '../../i18n/index.ts';
import { createReportSettings, createReportSettingsSave } from '../../server-data/reports.ts';

/** The workspace's time zone (the days of Reports) and how long misses are kept (admins). */
export function ReportSettingsCard() {
  const query = createReportSettings();
  const saveSettings = createReportSettingsSave();
  const [zone, setZone] = createSignal('');
  const [days, setDays] = createSignal('');
  const [message, setMessage] = createSignal('');
  createEffect(() => {
    const data = query.data;
    if (!data) return;
    setZone(data.timeZone);
    setDays(String(data.missesRetentionDays));
  });
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const input = ReportSettings.safeParse({ timeZone: zone().trim(), missesRetentionDays: Number(days()) });
    if (!input.success) {
      setMessage(input.error.issues[0]?.message ?? '');
      return;
    }
    try {
      await saveSettings.mutateAsync(input.data);
      setMessage(t('settings.reportsSaved'));
    } catch (error) {
      setMessage(requestErrorText(error));
    }
  };
  return (
    <form class="card report-settings" aria-labelledby="report-settings-title" onSubmit={(event) => void save(event)}>
      <h2 id="report-settings-title">{t('settings.reportsTitle')}</h2>
      <TextField id="report-time-zone" label={t('settings.timeZone')} hint={t('settings.timeZoneHint')} value={zone()} onValue={setZone} maxLength={64} />
      <TextField id="misses-retention" type="number" min={1} max={3650} label={t('settings.missesRetention')} value={days()} onValue={setDays} />
      <button type="submit" class="button primary">
        {t('settings.saveReports')}
      </button>
      <p class="page-status" role="status">
        {message()}
      </p>
    </form>
  );
}
