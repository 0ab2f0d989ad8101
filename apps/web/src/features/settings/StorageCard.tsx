import { Show } from 'solid-js';
import { language, t } from '../../i18n/index.ts';
import { localSync, useLiveQuery } from '../../local/solid.ts';
import { type StorageUse, storageUse } from '../../local/storage-use.ts';

/** How much this device stores, and how many old tickets it left on the server (eviction). */
export function StorageCard() {
  const use = useLiveQuery<StorageUse | null>(() => {
    const sync = localSync();
    return sync ? () => storageUse(sync.db) : null;
  }, null);
  const size = (bytes: number) =>
    new Intl.NumberFormat(language(), { style: 'unit', unit: 'megabyte', maximumFractionDigits: bytes < 10_000_000 ? 1 : 0 }).format(bytes / 1_000_000);
  return (
    <section class="card" aria-labelledby="settings-storage" data-testid="storage-use">
      <h2 id="settings-storage">{t('settings.storage')}</h2>
      <Show when={use()}>
        {(u) => (
          <>
            <p>
              {u().usage !== null && u().quota !== null
                ? t('settings.storageUse', { used: size(u().usage as number), quota: size(u().quota as number) })
                : t('settings.storageUnknown')}
            </p>
            <p>{t('settings.storageTickets', { count: u().tickets })}</p>
            <Show when={u().evicted > 0}>
              <p>{t('settings.storageEvicted', { count: u().evicted })}</p>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
