import { t } from '../../i18n/index.ts';
import { PageHeader } from '../../shell/Page.tsx';
import { ChannelSettingsCard } from './ChannelSettingsCard.tsx';
import { DeskIntegrationCard } from './DeskIntegrationCard.tsx';
import { ZendeskIntegrationCards } from './ZendeskIntegrationCards.tsx';

/** Integrations: the Desk, Zendesk Support and Zendesk messaging cards, and the messaging channels' settings. */
export default function IntegrationsPage() {
  return (
    <section class="admin-page integrations-page">
      <PageHeader title={t('nav.integrations')} />
      <DeskIntegrationCard />
      <ZendeskIntegrationCards />
      <ChannelSettingsCard />
    </section>
  );
}
