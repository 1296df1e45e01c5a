/** A Graph-shaped error answer (docs/errors.md): its status, code, message and details as the server sent them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { code?: string; message: string; target?: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What the client needs of the signed-in person: the `Authorization` header, and what to do when it is refused. */
export interface Credentials {
  authorization(): string | undefined;
  /** The server answered 401: the credential expired or was revoked. */
  rejected(): void;
}

/**
 * The one way the dashboard talks to the server: the public `/api` and Graph routes, with the signed-in person's
 * credential, so that everything on screen can be scripted with the same requests (docs/dashboard.md).
 */
export class ApiClient {
  constructor(private readonly credentials: Credentials) {}

  /** GETs a JSON answer. */
  async json<T>(path: string, signal?: AbortSignal): Promise<T> {
    const response = await this.send(path, { signal, headers: { accept: 'application/json' } });
    return (await response.json()) as T;
  }

  /** GETs a text answer (CSV) of the given media type. */
  async text(path: string, accept: string, signal?: AbortSignal): Promise<string> {
    const response = await this.send(path, { signal, headers: { accept } });
    return response.text();
  }

  /** Sends a body (PUT/POST) and returns the JSON answer, if any. */
  async sendBody<T>(method: string, path: string, body: string, contentType: string): Promise<T | undefined> {
    const response = await this.send(path, { method, body, headers: { 'content-type': contentType } });
    const text = await response.text();
    return text === '' ? undefined : (JSON.parse(text) as T);
  }

  private async send(path: string, init: RequestInit & { headers: Record<string, string> }): Promise<Response> {
    const authorization = this.credentials.authorization();
    if (authorization !== undefined) init.headers.authorization = authorization;
    const response = await fetch(path, init);
    if (response.ok) return response;
    if (response.status === 401) this.credentials.rejected();
    throw await errorOf(response);
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as {
      error?: { code?: string; message?: string; details?: ApiError['details'] };
    };
    const error = body.error ?? {};
    return new ApiError(response.status, error.code ?? 'error', error.message ?? response.statusText, error.details);
  } catch {
    return new ApiError(response.status, 'error', `${response.status} ${response.statusText}`);
  }
}

/** `path?name=value&…` with each value percent-encoded; undefined and empty values are left out. */
export function withQuery(path: string, query: Record<string, string | number | boolean | undefined>): string {
  const parts = Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`);
  return parts.length === 0 ? path : `${path}?${parts.join('&')}`;
}
