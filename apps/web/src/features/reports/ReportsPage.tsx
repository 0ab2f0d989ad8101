import {
  BACKLOG_STATUSES,
  CHANNELS,
  type Intent,
  REPORT_RANGES,
  type ReportRange,
} from '@desk/core';
import { createEffect, createMemo, createSignal, Show } from 'solid-js';
import { isNetworkError } from '../../api/client.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { createLiveQuery } from '../../components/live-query.ts';
import { isOnline, requestErrorText } from '../../components/online.ts';
import { language, t } from '../../i18n/index.ts';
import { localSync } from '../../local/solid.ts';
import { createReport } from '../../server-data/reports.ts';
import { PageHeader } from '../../shell/Page.tsx';
import { Chart } from './Chart.tsx';
import { type Cell, DataTable } from './DataTable.tsx';
import { loadReport, saveReport } from './report-cache.ts';

/** Reports: the bot's and the team's figures for a range of days, three charts with their tables. */
export default function ReportsPage() {
  const [range, setRange] = createSignal<ReportRange>('7d');
  const [from, setFrom] = createSignal('');
  const [to, setTo] = createSignal('');
  const [channel, setChannel] = createSignal('');
  const [intentId, setIntentId] = createSignal('');
  const db = () => localSync()?.db;
  const intents = createLiveQuery(db, (database) => database.intents.orderBy('name').toArray(), [] as Intent[]);

  const params = createMemo(() => {
    const search = new URLSearchParams({ range: range() });
    if (range() === 'custom') {
      if (from()) search.set('from', from());
      if (to()) search.set('to', to());
    }
    if (channel()) search.set('channel', channel());
    if (intentId()) search.set('intentId', intentId());
    return search.toString();
  });
  const ready = () => range() !== 'custom' || (from() !== '' && to() !== '');
  const query = createReport(params, () => ready() && isOnline());
  createEffect(() => {
    if (query.data) saveReport(params(), query.data);
  });
  const offline = () => !isOnline() || (query.isError && isNetworkError(query.error));
  const cached = createMemo(() => (offline() ? loadReport(params()) : null));
  const report = () => (offline() ? (cached()?.report ?? null) : (query.data ?? null));

  const number = (value: number) => new Intl.NumberFormat(language()).format(value);
  const share = (value: number | null) => (value === null ? '—' : new Intl.NumberFormat(language(), { style: 'percent', maximumFractionDigits: 1 }).format(value));
  const when = (iso: string) => new Intl.DateTimeFormat(language(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  const channelName = (id: string) => t(`reports.channel.${id as (typeof CHANNELS)[number]}`);
  const statusName = (status: (typeof BACKLOG_STATUSES)[number]) => t(`reports.status.${status}`);
  const fileName = (table: string) => `desk-${table}-${report()?.from ?? ''}-${report()?.to ?? ''}.csv`;

  const rangeOptions = () => REPORT_RANGES.map((value) => ({ value, label: t(`reports.range.${value}`) }));
  const channelOptions = () => [{ value: '', label: t('reports.allChannels') }, ...CHANNELS.map((value) => ({ value, label: channelName(value) }))];
  const intentOptions = () => [{ value: '', label: t('reports.allIntents') }, ...intents().map((intent) => ({ value: intent.id, label: intent.name }))];

  return (
    <section class="admin-page reports-page">
      <PageHeader title={t('nav.reports')} />
      <form class="card report-filters" aria-label={t('reports.filters')} onSubmit={(event) => event.preventDefault()}>
        <SelectField id="report-range" label={t('reports.rangeLabel')} value={range()} onValue={(v) => setRange(v as ReportRange)} options={rangeOptions()} />
        <Show when={range() === 'custom'}>
          <TextField id="report-from" type="date" label={t('reports.from')} value={from()} onValue={setFrom} />
          <TextField id="report-to" type="date" label={t('reports.to')} value={to()} onValue={setTo} />
        </Show>
        <SelectField id="report-channel" label={t('reports.channelLabel')} value={channel()} onValue={setChannel} options={channelOptions()} />
        <SelectField id="report-intent" label={t('reports.intentLabel')} value={intentId()} onValue={setIntentId} options={intentOptions()} />
      </form>

      <p class="page-status report-status" role="status">
        <Show when={offline()} fallback={query.isFetching ? t('app.loading') : query.isError ? requestErrorText(query.error) : ''}>
          <span class="offline-note">
            {cached() ? t('reports.offlineShowing', { time: when(cached()?.loadedAt ?? '') }) : t('reports.offlineNothing')}
          </span>
        </Show>
      </p>

      <Show when={report()}>
        {(r) => (
          <>
            <p class="hint">
              {t('reports.period', { from: r().from, to: r().to, zone: r().timeZone })} · {t('reports.generatedAt', { time: when(r().generatedAt) })}
            </p>
            <Show when={r().bot}>
              {(bot) => (
                <section class="card report-section" aria-labelledby="report-bot-title">
                  <h2 id="report-bot-title">{t('reports.botTitle')}</h2>
                  <DataTable
                    id="report-bot"
                    caption={t('reports.botTable')}
                    fileName={fileName('bot')}
                    header={[t('reports.figure'), t('reports.value')]}
                    display={(value, column) => (column === 1 && typeof value === 'number' && !Number.isInteger(value) ? share(value) : value === null ? '—' : typeof value === 'number' ? number(value) : value)}
                    rows={[
                      [t('reports.conversations'), bot().conversations],
                      [t('reports.messages'), bot().messages],
                      [t('reports.handledAlone'), bot().handledAlone],
                      [t('reports.handledAloneShare'), bot().handledAloneShare],
                      [t('reports.botAnswers'), bot().botAnswers],
                      [t('reports.fallbacks'), bot().fallbacks],
                      [t('reports.fallbackRate'), bot().fallbackRate],
                      [t('reports.disambiguationsAsked'), bot().disambiguationsAsked],
                      [t('reports.disambiguationsAnswered'), bot().disambiguationsAnswered],
                      [t('reports.offersShown'), bot().offersShown],
                      [t('reports.offersAccepted'), bot().offersAccepted],
                      [t('reports.handOffsDesk'), bot().handOffsByDestination.desk],
                      [t('reports.handOffsZendeskSupport'), bot().handOffsByDestination.zendesk_support],
                      [t('reports.handOffsZendeskMessaging'), bot().handOffsByDestination.zendesk_messaging],
                    ]}
                  />
                </section>
              )}
            </Show>

            <section class="card report-section" aria-labelledby="report-team-title">
              <h2 id="report-team-title">{t('reports.teamTitle')}</h2>
              <DataTable
                id="report-team"
                caption={t('reports.teamTable')}
                fileName={fileName('team')}
                header={[t('reports.figure'), t('reports.value')]}
                display={(value, column) => (column === 1 && typeof value === 'number' ? number(value) : value === null ? '—' : String(value))}
                rows={[
                  [t('reports.ticketsCreated'), r().team.ticketsCreated],
                  [t('reports.ticketsSolved'), r().team.ticketsSolved],
                ]}
              />
              <DataTable
                id="report-times"
                caption={t('reports.timesTable')}
                fileName={fileName('times')}
                header={[t('reports.figure'), t('reports.median'), t('reports.p90')]}
                display={(value, column) => (column === 0 ? String(value) : duration(value))}
                rows={[
                  [t('reports.firstResponse'), r().team.firstResponse.median, r().team.firstResponse.p90],
                  [t('reports.resolution'), r().team.resolution.median, r().team.resolution.p90],
                ]}
              />
              <DataTable
                id="report-agents"
                caption={t('reports.agentsTable')}
                fileName={fileName('agents')}
                header={[t('reports.agent'), t('reports.solved'), t('reports.medianFirstResponse')]}
                display={(value, column) => (column === 2 ? duration(value) : value === null ? '—' : String(value))}
                rows={r().team.agents.map((a) => [a.name, a.solved, a.medianFirstResponse])}
              />
            </section>

            <section class="card report-section" aria-labelledby="report-volumes-title">
              <h2 id="report-volumes-title">{t('reports.volumesTitle')}</h2>
              <div class="report-pair">
                <Chart
                  label={t('reports.volumesChart')}
                  spec={{
                    kind: 'stacked-bars',
                    categories: r().volumes.map((v) => v.day.slice(5)),
                    series: CHANNELS.filter((c) => r().volumes.some((v) => (v.byChannel[c] ?? 0) > 0)).map((c) => ({
                      label: channelName(c),
                      values: r().volumes.map((v) => v.byChannel[c] ?? 0),
                    })),
                  }}
                />
                <DataTable
                  id="report-volumes"
                  caption={t('reports.volumesTable')}
                  fileName={fileName('volumes')}
                  header={[t('reports.day'), ...CHANNELS.map(channelName), t('reports.total')]}
                  rows={r().volumes.map((v) => [v.day, ...CHANNELS.map((c) => v.byChannel[c] ?? 0), v.total] as Cell[])}
                />
              </div>
            </section>

            <Show when={r().handOffsByIntent}>
              {(rows) => (
                <section class="card report-section" aria-labelledby="report-handoffs-title">
                  <h2 id="report-handoffs-title">{t('reports.handOffsTitle')}</h2>
                  <div class="report-pair">
                    <Chart
                      label={t('reports.handOffsChart')}
                      spec={{ kind: 'bars', percent: true, categories: rows().map((row) => row.name), series: [{ label: t('reports.handOffRate'), values: rows().map((row) => row.rate ?? 0) }] }}
                    />
                    <DataTable
                      id="report-handoffs"
                      caption={t('reports.handOffsTable')}
                      fileName={fileName('hand-offs')}
                      header={[t('reports.intent'), t('reports.botAnswers'), t('reports.handOffs'), t('reports.handOffRate')]}
                      display={(value, column) => (column === 3 ? share(value as number | null) : value === null ? '—' : String(value))}
                      rows={rows().map((row) => [row.name, row.answers, row.handOffs, row.rate])}
                    />
                  </div>
                </section>
              )}
            </Show>

            <section class="card report-section" aria-labelledby="report-backlog-title">
              <h2 id="report-backlog-title">{t('reports.backlogTitle')}</h2>
              <div class="report-pair">
                <Chart
                  label={t('reports.backlogChart')}
                  spec={{
                    kind: 'stacked-area',
                    categories: r().backlog.map((row) => row.day.slice(5)),
                    series: BACKLOG_STATUSES.map((status) => ({ label: statusName(status), values: r().backlog.map((row) => row[status]) })),
                  }}
                />
                <DataTable
                  id="report-backlog"
                  caption={t('reports.backlogTable')}
                  fileName={fileName('backlog')}
                  header={[t('reports.day'), ...BACKLOG_STATUSES.map(statusName)]}
                  rows={r().backlog.map((row) => [row.day, ...BACKLOG_STATUSES.map((status) => row[status])] as Cell[])}
                />
              </div>
            </section>
          </>
        )}
      </Show>
    </section>
  );
}

/** Seconds as "42 s", "5 min 3 s" or "2 h 10 min" (units read the same in pt-BR, es and en). */
export function duration(value: Cell): string {
  if (typeof value !== 'number') return '—';
  const seconds = Math.round(value);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
