/**
 * The signed-in page: the identity ID, Upload CSV straight to S3 under
 * `<identityId>/` with the identity pool's credentials, the caller's files with
 * their check status, and two buttons that show where the boundaries are.
 */
import { fetchAuthSession } from 'aws-amplify/auth';
import { getUrl, list, remove, uploadData } from 'aws-amplify/storage';
import { apiGet, listFileStatuses, type ApiFile } from './api';
import type { AppConfig } from './config';
import { byTestId, formatBytes, h } from './dom';
import { describeError, showStatus } from './status';

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
  (document.getElementById('upload-label') as HTMLElement).textContent = `CSV file (up to ${formatBytes(config.maxUploadBytes)})`;

  const refresh = async () => {
    const rows = await loadRows(config.apiUrl);
    renderRows(rows);
    return rows;
  };

  (document.getElementById('upload-form') as HTMLFormElement).addEventListener('submit', (event) => {
    event.preventDefault();
    const file = uploadInput.files?.[0];
    const problem = !file
      ? 'Choose a CSV file first.'
      : !/\.csv$/i.test(file.name)
        ? `${file.name} is not a .csv file.`
        : file.size > config.maxUploadBytes
          ? `${file.name} is ${formatBytes(file.size)}; the limit is ${formatBytes(config.maxUploadBytes)}.`
          : undefined;
    if (problem || !file) {
      showStatus(problem ?? 'Choose a CSV file first.', 'error');
      return;
    }
    uploadButton.disabled = true;
    progress.value = 0;
    progress.hidden = false;
    showStatus(`Uploading ${file.name}…`);
    uploadData({
      path: ({ identityId }) => `${identityId}/${file.name}`,
      data: file,
      options: {
        contentType: 'text/csv',
        onProgress: ({ transferredBytes, totalBytes }) => {
          if (totalBytes) progress.value = Math.round((transferredBytes / totalBytes) * 100);
        },
      },
    })
      .result.then(async () => {
        (event.target as HTMLFormElement).reset();
        await refresh();
        showStatus(`Uploaded ${file.name}; its check status shows below once the server has checked it.`, 'success');
      })
      .catch((error: unknown) => showStatus(`Upload failed. ${describeError(error)}`, 'error'))
      .finally(() => {
        uploadButton.disabled = false;
        progress.hidden = true;
      });
  });

  document.getElementById('refresh-files')?.addEventListener('click', () => {
    refresh()
      .then((rows) => showStatus(`${rows.length} file${rows.length === 1 ? '' : 's'} listed.`, 'success'))
      .catch((error: unknown) => showStatus(`Listing failed. ${describeError(error)}`, 'error'));
  });

  byTestId('try-not-permissions').addEventListener('click', () => {
    const path = 'not-permissions/probe.csv';
    showStatus(`Trying to write ${path}…`);
    uploadData({ path, data: 'probe\n', options: { contentType: 'text/csv' } })
      .result.then(() => showStatus(`Unexpected: writing ${path} succeeded. These credentials reach beyond their own prefix.`, 'error'))
      .catch((error: unknown) => showStatus(`Denied as expected: writing ${path} failed with ${describeError(error)}`, 'success'));
  });

  byTestId('call-api').addEventListener('click', () => {
    showStatus('Calling GET /me…');
    apiGet<unknown>(config.apiUrl, 'me')
      .then((me) => {
        output.textContent = JSON.stringify(me, null, 2);
        output.hidden = false;
        showStatus('GET /me answered 200; the response is shown below.', 'success');
      })
      .catch((error: unknown) => showStatus(`GET /me failed. ${describeError(error)}`, 'error'));
  });

  function renderRows(rows: readonly Row[]): void {
    const body = document.getElementById('file-rows') as HTMLTableSectionElement;
    body.replaceChildren(
      ...(rows.length === 0
        ? [h('tr', {}, h('td', { colspan: '4' }, 'No files yet.'))]
        : rows.map((row) => h('tr', { 'data-file': row.name }, h('td', {}, row.name), h('td', {}, row.size === undefined ? '' : formatBytes(row.size)), h('td', {}, statusBadge(row.status)), h('td', {}, actions(row))))),
    );
  }

  function actions(row: Row): Node | null {
    const path = row.path;
    if (!path) return null;
    const download = h('button', { type: 'button', class: 'secondary', 'aria-label': `Download ${row.name}` }, 'Download');
    download.addEventListener('click', () => {
      getUrl({ path, options: { expiresIn: 300, contentDisposition: { type: 'attachment', filename: row.name } } })
        .then(({ url }) => {
          showStatus(`Downloading ${row.name}…`, 'success');
          window.location.assign(url.toString());
        })
        .catch((error: unknown) => showStatus(`Download failed. ${describeError(error)}`, 'error'));
    });
    const del = h('button', { type: 'button', class: 'secondary', 'aria-label': `Delete ${row.name}` }, 'Delete');
    del.addEventListener('click', () => {
      remove({ path })
        .then(refresh)
        .then(() => showStatus(`Deleted ${row.name}.`, 'success'))
        .catch((error: unknown) => showStatus(`Delete failed. ${describeError(error)}`, 'error'));
    });
    return h('div', { class: 'actions' }, download, del);
  }

  return {
    async show() {
      const { identityId } = await fetchAuthSession();
      identityField.textContent = identityId ?? '(none)';
      await refresh().catch((error: unknown) => showStatus(`Listing failed. ${describeError(error)}`, 'error'));
    },
  };
}

function statusBadge(status: string | undefined): Node {
  return h('span', { class: 'badge', 'data-status': status ?? 'unknown' }, status ?? 'unknown');
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
