export * from './types'
export { api, ApiClient, ApiError, errorFrom, type TokenSource } from './client'
export { SseParser, readSse, type SseMessage } from './sse'
