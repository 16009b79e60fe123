// The one HTTP client of the app: base URLs from build-time settings, JSON in
// and out, the access token attached, one refresh-and-retry on a 401, and
// every failure turned into an `ApiError`.
import type {
  ConversationDetail,
  ConversationPage,
  Conversation,
  ErrorBody,
  FareObservation,
  Grant,
  Me,
  NotificationPage,
  Place,
  PricePoint,
  SearchRequest,
  SearchResponse,
  SeriesRequest,
  Watch,
  WatchChange,
  WatchRequest,
} from './types'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }

  /** No answer at all (offline, DNS, CORS, aborted connection). */
  get isNetwork(): boolean {
    return this.status === 0
  }
}

/** What the client needs from the session: a token, and a way to renew it. */
export interface TokenSource {
  /** The current access token (refreshed first if it is about to expire). */
  accessToken(): Promise<string | null>
  /** After a 401: try once to get a new token; false means signed out. */
  renew(): Promise<boolean>
}

export interface ClientOptions {
  /** Base URL of the HTTP API (auth, search, airports, history). */
  apiBase: string
  /** Base URL of the chat function (its Function URL in AWS). */
  chatBase: string
  tokens?: TokenSource
  fetch?: typeof fetch
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const error = (value as { error: unknown }).error
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  )
}

/** Turns a failed response into an ApiError, reading the JSON error body. */
export async function errorFrom(response: Response): Promise<ApiError> {
  let body: unknown = null
  try {
    body = await response.json()
  } catch {
    // not JSON: a proxy's page, an empty body
  }
  if (isErrorBody(body)) {
    return new ApiError(
      response.status,
      body.error.code,
      body.error.message,
      body.error.field ?? undefined,
    )
  }
  return new ApiError(response.status, 'http_' + response.status, response.statusText || 'error')
}

interface RequestOptions {
  method?: string
  body?: unknown
  auth?: boolean
  headers?: Record<string, string>
  signal?: AbortSignal
}

export class ApiClient {
  private tokens: TokenSource | undefined
  private readonly fetchImpl: typeof fetch

  constructor(private readonly options: ClientOptions) {
    this.tokens = options.tokens
    this.fetchImpl = options.fetch ?? ((...args) => globalThis.fetch(...args))
  }

  useTokens(tokens: TokenSource): void {
    this.tokens = tokens
  }

  url(path: string): string {
    return this.options.apiBase + path
  }

  /** A request with the access token, renewed and retried once on a 401. */
  async send(url: string, options: RequestOptions = {}): Promise<Response> {
    const attempt = async (): Promise<Response> => {
      const headers: Record<string, string> = { ...options.headers }
      if (options.body !== undefined) headers['content-type'] = 'application/json'
      if (options.auth && this.tokens) {
        const token = await this.tokens.accessToken()
        if (token) headers.authorization = `Bearer ${token}`
      }
      try {
        return await this.fetchImpl(url, {
          method: options.method ?? 'GET',
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: options.signal,
        })
      } catch (e) {
        if (e instanceof DOMException && e.name === 'AbortError') throw e
        throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e))
      }
    }
    let response = await attempt()
    if (response.status === 401 && options.auth && this.tokens && (await this.tokens.renew())) {
      response = await attempt()
    }
    if (!response.ok) throw await errorFrom(response)
    return response
  }

  private async json<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(this.url(path), options)
    return (await response.json()) as T
  }

  private async empty(path: string, options: RequestOptions): Promise<void> {
    await this.send(this.url(path), options)
  }

  // accounts
  signup(email: string, password: string): Promise<Grant> {
    return this.json('/auth/signup', { method: 'POST', body: { email, password } })
  }
  login(email: string, password: string): Promise<Grant> {
    return this.json('/auth/login', { method: 'POST', body: { email, password } })
  }
  refresh(refreshToken: string): Promise<Grant> {
    return this.json('/auth/refresh', { method: 'POST', body: { refresh_token: refreshToken } })
  }
  logout(accessToken: string): Promise<void> {
    return this.empty('/auth/logout', {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
    })
  }
  me(): Promise<Me> {
    return this.json('/auth/me', { auth: true })
  }

  // search
  search(request: SearchRequest, signal?: AbortSignal): Promise<SearchResponse> {
    return this.json('/search', { method: 'POST', body: request, signal })
  }
  airports(q: string, signal?: AbortSignal): Promise<{ places: Place[] }> {
    return this.json(`/airports?q=${encodeURIComponent(q)}&limit=8`, { signal })
  }

  // history
  conversations(cursor?: string, limit = 20): Promise<ConversationPage> {
    const query = new URLSearchParams({ limit: String(limit) })
    if (cursor) query.set('cursor', cursor)
    return this.json(`/conversations?${query}`, { auth: true })
  }
  conversation(id: string): Promise<ConversationDetail> {
    return this.json(`/conversations/${encodeURIComponent(id)}`, { auth: true })
  }
  rename(id: string, title: string): Promise<Conversation> {
    return this.json(`/conversations/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: { title },
      auth: true,
    })
  }
  deleteConversation(id: string): Promise<void> {
    return this.empty(`/conversations/${encodeURIComponent(id)}`, { method: 'DELETE', auth: true })
  }

  // watches and notifications
  createWatch(body: WatchRequest): Promise<Watch> {
    return this.json('/watches', { method: 'POST', body, auth: true })
  }
  watches(): Promise<{ watches: Watch[] }> {
    return this.json('/watches', { auth: true })
  }
  updateWatch(id: string, change: WatchChange): Promise<Watch> {
    return this.json(`/watches/${encodeURIComponent(id)}`, { method: 'PATCH', body: change, auth: true })
  }
  deleteWatch(id: string): Promise<void> {
    return this.empty(`/watches/${encodeURIComponent(id)}`, { method: 'DELETE', auth: true })
  }
  watchPrices(id: string): Promise<{ watch_id: string; prices: PricePoint[] }> {
    return this.json(`/watches/${encodeURIComponent(id)}/prices`, { auth: true })
  }
  notifications(cursor?: string, limit = 20): Promise<NotificationPage> {
    const query = new URLSearchParams({ limit: String(limit) })
    if (cursor) query.set('cursor', cursor)
    return this.json(`/notifications?${query}`, { auth: true })
  }
  /** Marks `ids` read, or every notification without them. */
  readNotifications(ids?: string[]): Promise<{ read: number; unread: number }> {
    return this.json('/notifications/read', { method: 'POST', body: ids ? { ids } : {}, auth: true })
  }

  // price history
  priceSeries(route: SeriesRequest, signal?: AbortSignal): Promise<{ observations: FareObservation[] }> {
    const query = new URLSearchParams({
      origin: route.origin,
      destination: route.destination,
      departure: route.departure,
      cabin: route.cabin,
    })
    if (route.return) query.set('return', route.return)
    return this.json(`/prices/series?${query}`, { signal })
  }

  // chat
  suggestions(locale: string): Promise<{ suggestions: string[] }> {
    const response = this.send(
      `${this.options.chatBase}/chat/suggestions?locale=${encodeURIComponent(locale)}`,
    )
    return response.then((r) => r.json() as Promise<{ suggestions: string[] }>)
  }
  /** Starts a streamed turn; the caller reads the body with `readSse`. */
  chatStream(
    body: { conversation_id?: string; message: string; locale?: string },
    idempotencyKey: string,
    signal: AbortSignal,
  ): Promise<Response> {
    return this.send(`${this.options.chatBase}/chat`, {
      method: 'POST',
      body,
      auth: true,
      signal,
      headers: { accept: 'text/event-stream', 'idempotency-key': idempotencyKey },
    })
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}

const apiBase = trimSlash(import.meta.env.VITE_API_BASE ?? '')

/** The app's client; `boot/api.ts` gives it the session's tokens. */
export const api = new ApiClient({
  apiBase,
  chatBase: import.meta.env.VITE_CHAT_URL ? trimSlash(import.meta.env.VITE_CHAT_URL) : apiBase,
})
