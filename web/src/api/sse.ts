// A server-sent events parser (the WHATWG "event stream" rules): fed text as
// it arrives in chunks of any size, it emits whole events. EventSource cannot
// POST, so the chat reads `fetch`'s body through this.

export interface SseMessage {
  event: string
  data: string
  id?: string
}

export class SseParser {
  private buffer = ''
  private event = ''
  private data: string[] = []
  private id: string | undefined
  private sawBom = false

  constructor(private readonly emit: (message: SseMessage) => void) {}

  /** Feeds a decoded chunk; emits every event it completes. */
  push(chunk: string): void {
    let text = chunk
    if (!this.sawBom) {
      if (text.length === 0) return
      this.sawBom = true
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    }
    this.buffer += text
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer)
      if (!match) break
      // A lone "\r" at the very end may be the first half of "\r\n".
      if (match[0] === '\r' && match.index === this.buffer.length - 1) break
      const line = this.buffer.slice(0, match.index)
      this.buffer = this.buffer.slice(match.index + match[0].length)
      this.line(line)
    }
  }

  /** The stream ended: an unterminated event is dropped, as the spec says. */
  end(): void {
    this.buffer = ''
    this.event = ''
    this.data = []
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) {
        this.emit({ event: this.event || 'message', data: this.data.join('\n'), id: this.id })
      }
      this.event = ''
      this.data = []
      return
    }
    if (line.startsWith(':')) return
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    switch (field) {
      case 'event':
        this.event = value
        break
      case 'data':
        this.data.push(value)
        break
      case 'id':
        if (!value.includes('\0')) this.id = value
        break
      default:
        // `retry` and unknown fields do not matter to a fetch reader.
        break
    }
  }
}

/** Reads a response body as SSE, calling `onMessage` for each event. */
export async function readSse(
  body: ReadableStream<Uint8Array>,
  onMessage: (message: SseMessage) => void,
): Promise<void> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  const parser = new SseParser(onMessage)
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      parser.push(decoder.decode(value, { stream: true }))
    }
    parser.push(decoder.decode())
    parser.end()
  } finally {
    reader.releaseLock()
  }
}
