import { afterEach, describe, expect, it, vi } from 'vitest'
import { ref } from 'vue'
import record from 'src/__fixtures__/search-record.json'
import { routeOf, turnsFromDetail, useChatStream } from './useChatStream'

const enc = new TextEncoder()

function sse(events: [string, unknown][]): string {
  return events.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join('')
}

/** A streaming response that sends `text` in small pieces. */
function streamed(text: string, piece = 7): Response {
  const bytes = enc.encode(text)
  return new Response(
    new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += piece) c.enqueue(bytes.slice(i, i + piece))
        c.close()
      },
    }),
    { status: 200, headers: { 'content-type': 'text/event-stream' } },
  )
}

const turn = sse([
  ['tool', { name: 'search_flights', arguments: record.query }],
  ['offers', record],
  ['delta', { text: 'Encontrei **8 opções** ' }],
  ['delta', { text: 'de SAO para LIS.' }],
  ['title', { title: 'Sao Paulo → Lisbon' }],
  ['done', { conversation_id: 'c-1', message_id: 'm-1' }],
])

afterEach(() => vi.unstubAllGlobals())

describe('useChatStream', () => {
  it('builds the answer from deltas, with the tool, the offers, the title and the new id', async () => {
    const requests: { body: unknown; headers: Record<string, string> }[] = []
    vi.stubGlobal('fetch', vi.fn(async (_url: string, init: RequestInit) => {
      requests.push({ body: JSON.parse(String(init.body)), headers: init.headers as Record<string, string> })
      return streamed(turn)
    }))
    const id = ref<string | null>(null)
    const onDone = vi.fn()
    const chat = useChatStream(id, () => 'pt-BR', { onDone })
    await chat.send('quero ir de São Paulo para Lisboa')
    const t = chat.turns.value[0]!
    expect(t.status).toBe('done')
    expect(t.answer).toBe('Encontrei **8 opções** de SAO para LIS.')
    expect(t.tools).toEqual([{ name: 'search_flights', route: 'SAO → LIS' }])
    expect(t.searches[0]!.offers).toHaveLength(2)
    expect(id.value).toBe('c-1')
    expect(onDone).toHaveBeenCalledWith('c-1', 'Sao Paulo → Lisbon')
    expect(requests[0]!.body).toEqual({ message: 'quero ir de São Paulo para Lisboa', locale: 'pt-BR' })
    expect(requests[0]!.headers.accept).toBe('text/event-stream')
    expect(requests[0]!.headers['idempotency-key']).toBe(t.key)
    expect(chat.busy.value).toBe(false)
  })

  it('a follow-up names the conversation; a failed turn is retried with the same key', async () => {
    const keys: string[] = []
    let fail = true
    vi.stubGlobal('fetch', vi.fn(async (_url: string, init: RequestInit) => {
      keys.push((init.headers as Record<string, string>)['idempotency-key']!)
      const body = JSON.parse(String(init.body)) as { conversation_id?: string }
      expect(body.conversation_id).toBe('c-1')
      if (fail) return streamed(sse([['error', { code: 'unavailable', message: 'nothing was stored' }]]))
      return streamed(turn)
    }))
    const chat = useChatStream(ref('c-1'), () => 'pt-BR')
    await chat.send('só voos diretos')
    expect(chat.turns.value[0]!.status).toBe('error')
    fail = false
    await chat.retry(chat.turns.value[0]!)
    expect(chat.turns.value[0]!.status).toBe('done')
    expect(chat.turns.value[0]!.answer).toBe('Encontrei **8 opções** de SAO para LIS.')
    expect(keys).toHaveLength(2)
    expect(keys[1]).toBe(keys[0])
  })

  it('stop aborts the request and marks the turn stopped', async () => {
    vi.stubGlobal('fetch', vi.fn((_url: string, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
      }),
    ))
    const chat = useChatStream(ref(null), () => 'pt-BR')
    const sending = chat.send('olá')
    expect(chat.busy.value).toBe(true)
    chat.stop()
    await sending
    expect(chat.turns.value[0]!.status).toBe('stopped')
    expect(chat.busy.value).toBe(false)
  })

  it('a stream cut before done is an error, not a silent success', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => streamed(sse([['delta', { text: 'Encon' }]]))))
    const chat = useChatStream(ref(null), () => 'pt-BR')
    await chat.send('olá')
    expect(chat.turns.value[0]!.status).toBe('error')
    expect(chat.turns.value[0]!.answer).toBe('Encon')
  })
})

describe('a model that fails mid-answer', () => {
  it('voids the streamed text on `fallback` and keeps the offline answer, with the reason', async () => {
    vi.stubGlobal('fetch', vi.fn(async () =>
      streamed(sse([
        ['delta', { text: 'O voo mais barato é o da' }],
        ['fallback', { reason: 'O modelo falhou; o assistente offline responde.' }],
        ['delta', { text: 'Encontrei 8 opções.' }],
        ['done', { conversation_id: 'c-1', message_id: 'm-1' }],
      ])),
    ))
    const chat = useChatStream(ref(null), () => 'pt-BR')
    await chat.send('SP para Lisboa')
    expect(chat.turns.value[0]!.answer).toBe('Encontrei 8 opções.')
    expect(chat.turns.value[0]!.notice).toBe('O modelo falhou; o assistente offline responde.')
    expect(chat.turns.value[0]!.status).toBe('done')
  })

  it('an `error` event keeps its code and field', async () => {
    vi.stubGlobal('fetch', vi.fn(async () =>
      streamed(sse([['error', { code: 'invalid_field', message: 'too long', field: 'message' }]])),
    ))
    const chat = useChatStream(ref(null), () => 'pt-BR')
    await chat.send('x')
    const error = chat.turns.value[0]!.error as { status: number; code: string; field?: string }
    expect(error.status).toBe(400)
    expect(error.code).toBe('invalid_field')
    expect(error.field).toBe('message')
  })
})

describe('stored conversations', () => {
  it('regroup into turns with their searches and answers', () => {
    const base = { conversation_id: 'c', tool_calls: null, tool_results: null, created_at: '', idempotency_key: 'k1' }
    const turns = turnsFromDetail({
      conversation: { id: 'c', user_id: 'u', title: 't', created_at: '', updated_at: '', message_count: 4 },
      messages: [
        { ...base, id: '1', seq: 1, role: 'user', content: 'SP para Lisboa' },
        { ...base, id: '2', seq: 2, role: 'assistant', content: '' },
        { ...base, id: '3', seq: 3, role: 'tool', content: '', tool_results: { call_id: 'call_1', ...record, count: 8 } },
        { ...base, id: '4', seq: 4, role: 'assistant', content: 'Encontrei 8 opções' },
      ],
    })
    expect(turns).toHaveLength(1)
    expect(turns[0]!.key).toBe('k1')
    expect(turns[0]!.answer).toBe('Encontrei 8 opções')
    expect(turns[0]!.searches[0]!.offers).toHaveLength(2)
    expect(turns[0]!.tools[0]!.route).toBe('SAO → LIS')
  })

  it('routeOf reads our query and a model’s arguments', () => {
    expect(routeOf({ origin: 'GRU', destination: 'LIS' })).toBe('GRU → LIS')
    expect(routeOf({ legs: [{ origin: 'RIO', destination: 'LON' }, { origin: 'LON', destination: 'PAR' }] })).toBe('RIO → LON → PAR')
    expect(routeOf({})).toBeNull()
  })
})
