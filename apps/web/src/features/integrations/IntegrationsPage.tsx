import { t } from '../../i18n/index.ts';
import { EmptyState, PageHeader } from '../../shell/Page.tsx';

/** Placeholder: the integrations feature fills this page. */
export default function IntegrationsPage() {
  return (
    <section>
      <PageHeader title={t('nav.integrations')} />
      <EmptyState message={t('integrations.empty')} />
    </section>
  );
}
