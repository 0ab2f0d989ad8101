import { t } from '../../i18n/index.ts';
import { EmptyState, PageHeader } from '../../shell/Page.tsx';

/** Placeholder: the intents feature fills this page. */
export default function IntentsPage() {
  return (
    <section>
      <PageHeader title={t('nav.intents')} />
      <EmptyState message={t('intents.empty')} />
    </section>
  );
}
