import { t } from '../../i18n/index.ts';
import { EmptyState, PageHeader } from '../../shell/Page.tsx';

/** Placeholder: the tickets feature fills this page. */
export default function TicketsPage() {
  return (
    <section>
      <PageHeader title={t('nav.tickets')} />
      <EmptyState message={t('tickets.empty')} />
    </section>
  );
}
