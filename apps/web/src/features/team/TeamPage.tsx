import { t } from '../../i18n/index.ts';
import { EmptyState, PageHeader } from '../../shell/Page.tsx';

/** Placeholder: the team feature fills this page. */
export default function TeamPage() {
  return (
    <section>
      <PageHeader title={t('nav.team')} />
      <EmptyState message={t('team.empty')} />
    </section>
  );
}
