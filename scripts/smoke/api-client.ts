/**
 * Calls the deployed REST API through an injected `fetch`, so tests drive it
 * without a network. Routes and shapes are the contract in docs/design.md.
 */
import type { UntypedJson } from '../common/untyped-json';
export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiResponse {
  readonly status: number;
  /** Parsed JSON body; `undefined` for an empty or non-JSON body. */
  readonly body: UntypedJson;
}

export interface UploadUrl {
  readonly url: string;
  readonly fields: Record<string, string>;
  readonly key: string;
  readonly expiresIn: number;
}

export class ApiClient {
  /** `apiUrl` is the `ApiUrl` output (with or without the trailing slash). */
  constructor(
    private readonly fetch: Fetch,
    private readonly apiUrl: string,
  ) {}

  /** `token` is the user pool ID token, sent as-is in `Authorization`; omit it to call anonymously. */
  async call(method: string, route: string, token?: string, body?: unknown): Promise<ApiResponse> {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.Authorization = token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await this.fetch(this.url(route), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: parseJson(await response.text()) };
  }

  /** POSTs a file to a presigned POST: every signed field first, the file last (S3 ignores fields after it). */
  async postToPresignedUrl(upload: UploadUrl, content: string, contentType: string, fileName: string): Promise<number> {
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([content], { type: contentType }), fileName);
    const response = await this.fetch(upload.url, { method: 'POST', body: form });
    await response.text();
    return response.status;
  }

  private url(route: string): string {
    const base = this.apiUrl.endsWith('/') ? this.apiUrl : `${this.apiUrl}/`;
    return `${base}${route.replace(/^\//, '')}`;
  }
}

/** "404 NotFound: no such file" from an error body, for FAIL lines. */
export function describeResponse(response: ApiResponse): string {
  const error = response.body?.error;
  return error?.code ? `${response.status} ${error.code}: ${error.message ?? ''}`.trim() : `${response.status}`;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
