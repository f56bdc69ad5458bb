/** An answer of the API that is not a success: its HTTP status and the API's error code and message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  token?: string;
  /** The ETag of the copy the caller holds: an unchanged resource then answers 304 and no body. */
  etag?: string;
  signal?: AbortSignal;
}

export interface ApiAnswer<T> {
  /** Absent on 304 (the caller's copy is current). */
  body?: T;
  etag?: string;
  headers: Headers;
}

/** One call to the API (same origin as the console), JSON in and out; failures throw ApiFailure. */
export async function callApi<T>(path: string, request: ApiRequest = {}): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (request.token) headers['X-Auth-Token'] = request.token;
  if (request.etag) headers['If-None-Match'] = request.etag;
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      // The console does its own revalidation (If-None-Match) and must see every answer.
      cache: 'no-store',
      signal: request.signal,
    });
  } catch (error) {
    if (request.signal?.aborted) throw error;
    throw new ApiFailure(0, 'NETWORK', error instanceof Error ? error.message : String(error));
  }
  const etag = response.headers.get('ETag') ?? undefined;
  if (response.status === 304) return { etag, headers: response.headers };
  const text = await response.text();
  const parsed = text ? safeJson(text) : undefined;
  if (!response.ok) throw failureOf(response, parsed, text);
  return { body: parsed as T, etag, headers: response.headers };
}

/** A call whose answer is a file (a voice's sample), as a Blob; failures throw ApiFailure. */
export async function callApiForBlob(path: string, token: string): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { 'X-Auth-Token': token } });
  } catch (error) {
    throw new ApiFailure(0, 'NETWORK', error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) {
    const text = await response.text();
    throw failureOf(response, text ? safeJson(text) : undefined, text);
  }
  return response.blob();
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The API's errors are `{error_code, error_msg}`; the token endpoint answers IAM's `{error: {code, message}}`. */
function failureOf(response: Response, body: unknown, text: string): ApiFailure {
  const requestId = response.headers.get('X-Request-Id') ?? undefined;
  if (body && typeof body === 'object') {
    const api = body as { error_code?: string; error_msg?: string; error?: { code?: number; message?: string } };
    if (api.error_code) return new ApiFailure(response.status, api.error_code, api.error_msg ?? '', requestId);
    if (api.error) return new ApiFailure(response.status, `IAM.${api.error.code ?? response.status}`, api.error.message ?? '', requestId);
  }
  return new ApiFailure(response.status, `HTTP.${response.status}`, text.slice(0, 200) || response.statusText, requestId);
}
