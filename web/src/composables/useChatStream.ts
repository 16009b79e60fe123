// One conversation with the assistant: its turns, each streamed from
// `POST /chat` as server-sent events, with stop (AbortController) and retry
// (the same Idempotency-Key, so the server never runs a stored turn twice).
import { computed, ref, shallowRef, type Ref } from 'vue'
import {
  api,
  ApiError,
  readSse,
  type ChatEvent,
  type ConversationDetail,
  type SearchRecord,
  type SseMessage,
} from 'src/api'

export interface ToolActivity {
  name: string
  /** `GRU → LIS` when the arguments name a route. */
  route: string | null
}

export type TurnStatus = 'streaming' | 'done' | 'error' | 'stopped'

export interface ChatTurn {
  /** The turn's Idempotency-Key; also its identity in lists. */
  key: string
  message: string
  answer: string
  tools: ToolActivity[]
  searches: SearchRecord[]
  status: TurnStatus
  error: unknown
  /** Said by the server along the way (the model failed; the offline assistant answers). */
  notice: string | null
}

export interface ChatStreamHooks {
  /** The server named a new conversation. */
  onTitle?: (title: string) => void
  /** A turn is stored in conversation `id`. */
  onDone?: (id: string, pendingTitle: string | null) => void
}

function newKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID()
  return `k-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** `GRU → LIS` from a search tool's arguments (ours, or a model's). */
export function routeOf(args: unknown): string | null {
  if (!isRecord(args)) return null
  const legs = args.legs
  if (Array.isArray(legs) && legs.length > 0) {
    const points: string[] = []
    for (const leg of legs) {
      if (!isRecord(leg)) continue
      if (points.length === 0 && typeof leg.origin === 'string') points.push(leg.origin)
      if (typeof leg.destination === 'string') points.push(leg.destination)
    }
    return points.length > 1 ? points.join(' → ') : null
  }
  if (typeof args.origin === 'string' && typeof args.destination === 'string') {
    return `${args.origin} → ${args.destination}`
  }
  return null
}

function isSearchRecord(v: unknown): v is SearchRecord {
  return isRecord(v) && isRecord(v.query) && Array.isArray(v.offers)
}

/** The HTTP status an `error` event's code stands for. */
function statusOf(code: string): number {
  switch (code) {
    case 'invalid_field':
    case 'invalid_json':
      return 400
    case 'unauthorized':
    case 'invalid_token':
      return 401
    case 'not_found':
      return 404
    case 'too_many_requests':
    case 'rate_limited':
      return 429
    case 'unavailable':
      return 503
    default:
      return 500
  }
}

/** A server-sent event as a typed chat event (unknown or malformed: null). */
export function toChatEvent(message: SseMessage): ChatEvent | null {
  let data: unknown
  try {
    data = JSON.parse(message.data)
  } catch {
    return null
  }
  if (!isRecord(data)) return null
  switch (message.event) {
    case 'delta':
      return typeof data.text === 'string' ? { type: 'delta', text: data.text } : null
    case 'tool':
      return typeof data.name === 'string'
        ? { type: 'tool', name: data.name, arguments: isRecord(data.arguments) ? data.arguments : {} }
        : null
    case 'offers':
      return isSearchRecord(data)
        ? { type: 'offers', record: { query: data.query, offers: data.offers, warnings: Array.isArray(data.warnings) ? data.warnings : [] } }
        : null
    case 'fallback':
      return { type: 'fallback', reason: typeof data.reason === 'string' ? data.reason : '' }
    case 'title':
      return typeof data.title === 'string' ? { type: 'title', title: data.title } : null
    case 'done':
      return typeof data.conversation_id === 'string' && typeof data.message_id === 'string'
        ? { type: 'done', conversation_id: data.conversation_id, message_id: data.message_id }
        : null
    case 'error':
      return {
        type: 'error',
        code: typeof data.code === 'string' ? data.code : 'error',
        message: typeof data.message === 'string' ? data.message : '',
        ...(typeof data.field === 'string' ? { field: data.field } : {}),
      }
    default:
      return null
  }
}

/** The stored messages of a conversation, regrouped into turns. */
export function turnsFromDetail(detail: ConversationDetail): ChatTurn[] {
  const turns: ChatTurn[] = []
  for (const m of detail.messages) {
    if (m.role === 'user') {
      turns.push({
        key: m.idempotency_key ?? m.id,
        message: m.content,
        answer: '',
        tools: [],
        searches: [],
        status: 'done',
        error: null,
        notice: null,
      })
      continue
    }
    const turn = turns[turns.length - 1]
    if (!turn) continue
    if (m.role === 'tool' && isSearchRecord(m.tool_results)) {
      turn.searches.push({
        query: m.tool_results.query,
        offers: m.tool_results.offers,
        warnings: Array.isArray(m.tool_results.warnings) ? m.tool_results.warnings : [],
      })
      turn.tools.push({ name: 'search_flights', route: routeOf(m.tool_results.query) })
    } else if (m.role === 'assistant' && m.content) {
      turn.answer = turn.answer ? `${turn.answer}\n\n${m.content}` : m.content
    }
  }
  return turns
}

export function useChatStream(
  conversationId: Ref<string | null>,
  locale: () => string,
  hooks: ChatStreamHooks = {},
) {
  const turns = ref<ChatTurn[]>([])
  const controller = shallowRef<AbortController | null>(null)
  const busy = computed(() => controller.value !== null)

  function load(detail: ConversationDetail | null): void {
    stop()
    turns.value = detail ? turnsFromDetail(detail) : []
  }

  async function run(turn: ChatTurn): Promise<void> {
    const abort = new AbortController()
    controller.value = abort
    // The reactive proxy of the turn, so every change repaints.
    const live = turns.value.find((t) => t.key === turn.key) ?? turn
    live.status = 'streaming'
    live.error = null
    live.notice = null
    live.answer = ''
    live.tools = []
    live.searches = []
    let pendingTitle: string | null = null
    let finished = false
    // Offer cards are heavier to draw than words: when a search's results
    // and the answer's first words arrive together, the words are painted
    // first and the cards a frame later (two animation frames, or 100 ms in
    // a tab that draws no frames).
    const pendingOffers: SearchRecord[] = []
    let offersShown: Promise<void> | null = null
    const showOffers = () => {
      if (offersShown) return
      offersShown = new Promise<void>((resolve) => {
        let done = false
        const flush = () => {
          if (done) return
          done = true
          live.searches.push(...pendingOffers.splice(0))
          offersShown = null
          resolve()
        }
        if (typeof requestAnimationFrame === 'function') {
          requestAnimationFrame(() => requestAnimationFrame(flush))
        }
        setTimeout(flush, 100)
      })
    }
    try {
      const response = await api.chatStream(
        {
          message: live.message,
          locale: locale(),
          ...(conversationId.value ? { conversation_id: conversationId.value } : {}),
        },
        live.key,
        abort.signal,
      )
      if (!response.body) throw new ApiError(0, 'network', 'empty response')
      await readSse(response.body, (message) => {
        const event = toChatEvent(message)
        if (!event) return
        switch (event.type) {
          case 'delta':
            live.answer += event.text
            break
          case 'fallback':
            live.answer = ''
            live.notice = event.reason
            break
          case 'tool':
            live.tools.push({ name: event.name, route: routeOf(event.arguments) })
            break
          case 'offers':
            pendingOffers.push(event.record)
            showOffers()
            break
          case 'title':
            pendingTitle = event.title
            hooks.onTitle?.(event.title)
            break
          case 'done':
            finished = true
            live.status = 'done'
            conversationId.value = event.conversation_id
            hooks.onDone?.(event.conversation_id, pendingTitle)
            break
          case 'error':
            finished = true
            live.status = 'error'
            live.error = new ApiError(statusOf(event.code), event.code, event.message, event.field)
            break
        }
      })
      if (!finished) {
        live.status = 'error'
        live.error = new ApiError(0, 'network', 'the answer was cut off')
      }
    } catch (e) {
      if (abort.signal.aborted) {
        live.status = 'stopped'
      } else {
        live.status = 'error'
        live.error = e
      }
    } finally {
      if (offersShown) await offersShown
      if (controller.value === abort) controller.value = null
    }
  }

  async function send(text: string): Promise<void> {
    const message = text.trim()
    if (!message || busy.value) return
    turns.value.push({
      key: newKey(),
      message,
      answer: '',
      tools: [],
      searches: [],
      status: 'streaming',
      error: null,
      notice: null,
    })
    await run(turns.value[turns.value.length - 1]!)
  }

  /** Runs a failed or stopped turn again with its own Idempotency-Key. */
  async function retry(turn: ChatTurn): Promise<void> {
    if (busy.value) return
    await run(turn)
  }

  function stop(): void {
    controller.value?.abort()
    controller.value = null
  }

  return { turns, busy, send, retry, stop, load }
}
