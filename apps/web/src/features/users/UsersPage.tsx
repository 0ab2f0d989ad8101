import { t } from '../../i18n/index.ts';
import { EmptyState, PageHeader } from '../../shell/Page.tsx';

/** Placeholder: the users feature fills this page. */
export default function UsersPage() {
  return (
    <section>
      <PageHeader title={t('nav.users')} />
      <EmptyState message={t('users.empty')} />
    </section>
  );
}
