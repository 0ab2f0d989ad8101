import { For } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { downloadCsv, toCsv } from './csv.ts';

export type Cell = string | number | null;

/**
 * A table with its CSV download. `display` formats a cell for reading; the CSV keeps raw values
 * (seconds, shares as 0–1) so a spreadsheet can compute with them.
 */
export function DataTable(props: {
  id: string;
  caption: string;
  header: readonly string[];
  rows: readonly (readonly Cell[])[];
  display?: (value: Cell, column: number) => string;
  fileName: string;
}) {
  const shown = (value: Cell, column: number) => (props.display ? props.display(value, column) : value === null ? '—' : String(value));
  return (
    <div class="report-table">
      {/* Scrolls sideways on a phone: focusable, so keyboard users can scroll it too. */}
      <section class="table-wrap" tabindex="0" aria-label={props.caption}>
        <table class="data-table" id={props.id}>
          <caption>{props.caption}</caption>
          <thead>
            <tr>
              <For each={props.header}>{(title) => <th scope="col">{title}</th>}</For>
            </tr>
          </thead>
          <tbody>
            <For each={props.rows}>
              {(row) => (
                <tr>
                  <For each={row}>{(value, column) => (column() === 0 ? <th scope="row">{shown(value, 0)}</th> : <td>{shown(value, column())}</td>)}</For>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </section>
      <button
        type="button"
        class="button small"
        aria-label={t('reports.downloadCsvOf', { table: props.caption })}
        onClick={() => downloadCsv(props.fileName, toCsv(props.header, props.rows))}
      >
        {t('reports.downloadCsv')}
      </button>
    </div>
  );
}
