/**
 * The signed-in page: the identity ID, Upload CSV straight to S3 under
 * `<identityId>/` with the identity pool's credentials, the caller's files with
 * their check status, and two buttons that show where the boundaries are.
 */
import { fetchAuthSession } from 'aws-amplify/auth';
import { getUrl, list, remove, uploadData } from 'aws-amplify/storage';
import { apiGet, listFileStatuses, type ApiFile } from './api';
import { downloadHref } from './local-run';
import type { AppConfig } from './config';
import { byTestId, formatBytes, h } from './dom';
import { onLanguageChange, t } from './i18n';
import { describeError, showStatus } from './status';
import './account-strings';

interface Row {
  readonly name: string;
  readonly size?: number;
  /** Storage path, when the object is there to download or delete. */
  readonly path?: string;
  readonly status?: string;
}

/** Wires the static signed-in markup; call once. */
export function setUpFilesScreen(config: AppConfig): { show: () => Promise<void> } {
  const identityField = byTestId('identity-id');
  const uploadInput = byTestId<HTMLInputElement>('upload-input');
  const uploadButton = byTestId<HTMLButtonElement>('upload-submit');
  const progress = document.getElementById('upload-progress') as HTMLProgressElement;
  const output = document.getElementById('api-output') as HTMLPreElement;
  showUploadLimits(config, uploadInput);

  const refresh = async () => {
    const rows = await loadRows(config.apiUrl);
    renderRows(rows);
    return rows;
  };

  (document.getElementById('upload-form') as HTMLFormElement).addEventListener('submit', (event) => {
    event.preventDefault();
    const file = uploadInput.files?.[0];
    const problem = file ? uploadProblem(file, config) : t('files.chooseFirst');
    if (problem || !file) {
      showStatus(problem ?? t('files.chooseFirst'), 'error');
      return;
    }
    uploadButton.disabled = true;
    progress.value = 0;
    progress.hidden = false;
    showStatus(() => t('files.uploading', { name: file.name }));
    uploadData({
      path: ({ identityId }) => `${identityId}/${file.name}`,
      data: file,
      options: {
        contentType: uploadTypeOf(file),
        onProgress: ({ transferredBytes, totalBytes }) => {
          if (totalBytes) progress.value = Math.round((transferredBytes / totalBytes) * 100);
        },
      },
    })
      .result.then(async () => {
        (event.target as HTMLFormElement).reset();
        await refresh();
        showStatus(() => t('files.uploaded', { name: file.name }), 'success');
      })
      .catch((error: unknown) => showStatus(() => t('files.uploadFailed', { error: describeError(error) }), 'error'))
      .finally(() => {
        uploadButton.disabled = false;
        progress.hidden = true;
      });
  });

  document.getElementById('refresh-files')?.addEventListener('click', () => {
    refresh()
      .then((rows) => showStatus(() => t('files.listed', { count: rows.length }), 'success'))
      .catch((error: unknown) => showStatus(() => t('files.listFailed', { error: describeError(error) }), 'error'));
  });

  byTestId('try-not-permissions').addEventListener('click', () => {
    const path = 'not-permissions/probe.csv';
    showStatus(() => t('files.trying', { path }));
    uploadData({ path, data: 'probe\n', options: { contentType: 'text/csv' } })
      .result.then(() => showStatus(() => t('files.unexpected', { path }), 'error'))
      .catch((error: unknown) => showStatus(() => t('files.denied', { path, error: describeError(error) }), 'success'));
  });

  byTestId('call-api').addEventListener('click', () => {
    showStatus(() => t('files.calling'));
    apiGet<unknown>(config.apiUrl, 'me')
      .then((me) => {
        output.textContent = JSON.stringify(me, null, 2);
        output.hidden = false;
        showStatus(() => t('files.apiAnswered'), 'success');
      })
      .catch((error: unknown) => showStatus(() => t('files.apiFailed', { error: describeError(error) }), 'error'));
  });

  let shown: readonly Row[] | undefined;
  onLanguageChange(() => shown && renderRows(shown));
  function renderRows(rows: readonly Row[]): void {
    shown = rows;
    const body = document.getElementById('file-rows') as HTMLTableSectionElement;
    body.replaceChildren(
      ...(rows.length === 0
        ? [h('tr', {}, h('td', { colspan: '4' }, t('files.none')))]
        : rows.map((row) =>
            h(
              'tr',
              { 'data-file': row.name },
              h('td', {}, row.name),
              h('td', {}, row.size === undefined ? '' : formatBytes(row.size)),
              h('td', {}, statusBadge(row.status)),
              h('td', {}, actions(row)),
            ),
          )),
    );
  }

  function actions(row: Row): Node | null {
    const path = row.path;
    if (!path) return null;
    const download = h('button', { type: 'button', class: 'secondary', 'aria-label': t('files.downloadLabel', { name: row.name }) }, t('files.download'));
    download.addEventListener('click', () => {
      getUrl({ path, options: { expiresIn: 300, contentDisposition: { type: 'attachment', filename: row.name } } })
        .then(async ({ url }) => {
          showStatus(() => t('files.downloading', { name: row.name }), 'success');
          window.location.assign(await downloadHref(url));
        })
        .catch((error: unknown) => showStatus(() => t('files.downloadFailed', { error: describeError(error) }), 'error'));
    });
    const del = h('button', { type: 'button', class: 'secondary', 'aria-label': t('files.deleteLabel', { name: row.name }) }, t('files.delete'));
    del.addEventListener('click', () => {
      remove({ path })
        .then(refresh)
        .then(() => showStatus(() => t('files.deleted', { name: row.name }), 'success'))
        .catch((error: unknown) => showStatus(() => t('files.deleteFailed', { error: describeError(error) }), 'error'));
    });
    return h('div', { class: 'actions' }, download, del);
  }

  return {
    async show() {
      const { identityId } = await fetchAuthSession();
      identityField.textContent = identityId ?? t('files.noIdentity');
      await refresh().catch((error: unknown) => showStatus(() => t('files.listFailed', { error: describeError(error) }), 'error'));
    },
  };
}

/**
 * The stage's limits on the page (docs/design.md, "Upload checks"): the label
 * states the size, the picker offers the types, and a hint lists them.
 */
function showUploadLimits(config: AppConfig, input: HTMLInputElement): void {
  const label = document.getElementById('upload-label') as HTMLElement;
  const hint = h('p', { id: 'upload-types', class: 'hint', 'data-testid': 'upload-types' });
  input.after(hint);
  input.setAttribute('aria-describedby', hint.id);
  input.accept = [...(config.allowedContentTypes.includes('text/csv') ? ['.csv'] : []), ...config.allowedContentTypes].join(',');
  const render = () => {
    label.textContent = t('files.uploadLabel', { size: formatBytes(config.maxUploadBytes) });
    hint.textContent = t('files.uploadTypes', { types: config.allowedContentTypes.join(', ') });
  };
  render();
  onLanguageChange(render);
}

/**
 * The type the upload declares: `text/csv` for a `.csv` name whatever the
 * browser guesses (some systems say application/vnd.ms-excel; the checker
 * reads the content anyway), else the browser's media type.
 */
function uploadTypeOf(file: File): string {
  if (/\.csv$/i.test(file.name)) return 'text/csv';
  return file.type.split(';')[0].trim().toLowerCase();
}

/** Why `file` cannot go up, checked before sending: the server and the checker would refuse it too. */
function uploadProblem(file: File, config: AppConfig): string | undefined {
  const type = uploadTypeOf(file);
  if (!config.allowedContentTypes.includes(type)) {
    return t('files.wrongType', { name: file.name, type: type || t('files.typeUnknown'), allowed: config.allowedContentTypes.join(', ') });
  }
  if (file.size > config.maxUploadBytes) {
    // Just over the limit, rounded sizes read the same ("4.0 KB; the limit is 4.0 KB"): say bytes then.
    const exact = formatBytes(file.size) === formatBytes(config.maxUploadBytes);
    const size = (bytes: number) => (exact ? `${bytes} B` : formatBytes(bytes));
    return t('files.tooLarge', { name: file.name, size: size(file.size), limit: size(config.maxUploadBytes) });
  }
  return undefined;
}

function statusBadge(status: string | undefined): Node {
  return h('span', { class: 'badge', 'data-status': status ?? 'unknown' }, t(`files.status.${status ?? 'unknown'}`));
}

/**
 * The objects under the caller's prefix (Storage `list`), joined by name with
 * the check results from `GET /files`. A name only the API knows (a rejected
 * upload whose object was deleted) still shows, without actions.
 */
async function loadRows(apiUrl: string): Promise<Row[]> {
  const [objects, statuses] = await Promise.all([
    list({ path: ({ identityId }) => `${identityId}/`, options: { listAll: true } }),
    listFileStatuses(apiUrl).catch((): ApiFile[] => []),
  ]);
  const byName = new Map(statuses.map((file) => [file.name, file]));
  const rows: Row[] = objects.items.map((item) => {
    const name = item.path.slice(item.path.indexOf('/') + 1);
    return { name, size: item.size, path: item.path, status: byName.get(name)?.status };
  });
  const listed = new Set(rows.map((row) => row.name));
  for (const file of statuses) if (!listed.has(file.name)) rows.push({ name: file.name, size: file.size, status: file.status });
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}
