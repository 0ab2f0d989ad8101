import { t } from '../../i18n/index.ts';
import { PageHeader } from '../../shell/Page.tsx';
import { ChannelSettingsCard } from './ChannelSettingsCard.tsx';
import { DeskIntegrationCard } from './DeskIntegrationCard.tsx';

/** Integrations: the Desk integration card, and the messaging channels' settings. */
export default function IntegrationsPage() {
  return (
    <section class="admin-page integrations-page">
      <PageHeader title={t('nav.integrations')} />
      <DeskIntegrationCard />
      <ChannelSettingsCard />
    </section>
  );
}
