import { describe, expect, it } from 'vitest'
import { SseParser, readSse, type SseMessage } from './sse'

function parse(chunks: string[]): SseMessage[] {
  const out: SseMessage[] = []
  const parser = new SseParser((m) => out.push(m))
  for (const c of chunks) parser.push(c)
  parser.end()
  return out
}

describe('SseParser', () => {
  it('reads typed events with JSON data', () => {
    const events = parse(['event: delta\ndata: {"text":"Olá"}\n\nevent: done\ndata: {"conversation_id":"c"}\n\n'])
    expect(events).toEqual([
      { event: 'delta', data: '{"text":"Olá"}', id: undefined },
      { event: 'done', data: '{"conversation_id":"c"}', id: undefined },
    ])
  })

  it('joins events split anywhere across chunks, including inside a CRLF', () => {
    const text = 'event: tool\r\ndata: {"name":"search_flights"}\r\n\r\nevent: delta\r\ndata: {"text":"a"}\r\n\r\n'
    for (let cut = 1; cut < text.length; cut++) {
      const events = parse([text.slice(0, cut), text.slice(cut)])
      expect(events.map((e) => e.event), `cut at ${cut}`).toEqual(['tool', 'delta'])
      expect(events[1]?.data).toBe('{"text":"a"}')
    }
  })

  it('joins multi-line data with newlines and ignores comments and unknown fields', () => {
    const events = parse([': keep-alive\n', 'data: one\ndata:two\nretry: 10\nfoo: bar\n\n'])
    expect(events).toEqual([{ event: 'message', data: 'one\ntwo', id: undefined }])
  })

  it('drops an unterminated event at the end and a leading BOM', () => {
    const events = parse(['\uFEFFevent: a\ndata: 1\n\n', 'event: b\ndata: 2'])
    expect(events.map((e) => e.event)).toEqual(['a'])
  })

  it('reads a byte stream whose UTF-8 characters are split across chunks', async () => {
    const bytes = new TextEncoder().encode('event: delta\ndata: {"text":"São Paulo → Lisboa"}\n\n')
    const chunks = [bytes.slice(0, 25), bytes.slice(25, 26), bytes.slice(26)]
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const c of chunks) controller.enqueue(c)
        controller.close()
      },
    })
    const out: SseMessage[] = []
    await readSse(body, (m) => out.push(m))
    expect(JSON.parse(out[0]!.data)).toEqual({ text: 'São Paulo → Lisboa' })
  })
})
