import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { api } from 'src/api'
import { useSession } from './session'

let issued = 0
function grant(expiresIn = 900) {
  issued += 1
  return {
    user: { id: 'u1', email: 'ana@example.com' },
    access_token: `access-${issued}`,
    token_type: 'bearer',
    expires_in: expiresIn,
    refresh_token: `refresh-${issued}`,
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
}

type Call = { url: string; body: unknown; auth: string | undefined }
let calls: Call[] = []
let refreshAnswer: () => Response = () => json(200, grant())

beforeEach(() => {
  vi.useFakeTimers()
  sessionStorage.clear()
  issued = 0
  calls = []
  refreshAnswer = () => json(200, grant())
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const headers = (init.headers ?? {}) as Record<string, string>
      calls.push({ url, body: init.body ? JSON.parse(String(init.body)) : null, auth: headers.authorization })
      if (url.endsWith('/auth/login')) return json(200, grant())
      if (url.endsWith('/auth/refresh')) return refreshAnswer()
      if (url.includes('/conversations')) {
        return headers.authorization === 'Bearer access-1'
          ? json(401, { error: { code: 'invalid_token', message: 'expired' } })
          : json(200, { conversations: [] })
      }
      return json(404, { error: { code: 'not_found', message: 'no route' } })
    }),
  )
  setActivePinia(createPinia())
  const session = useSession()
  api.useTokens({ accessToken: () => session.token(), renew: () => session.refresh() })
})

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('useSession', () => {
  it('keeps the access token in memory and only the refresh token in sessionStorage', async () => {
    const session = useSession()
    await session.login('ana@example.com', 'correct horse battery')
    expect(session.signedIn).toBe(true)
    expect(session.accessToken).toBe('access-1')
    expect(sessionStorage.getItem('chatpassagens.refresh')).toBe('refresh-1')
    expect(JSON.stringify({ ...sessionStorage })).not.toContain('access-1')
  })

  it('renews the access token a minute before it expires, rotating the refresh token', async () => {
    const session = useSession()
    await session.login('ana@example.com', 'correct horse battery')
    await vi.advanceTimersByTimeAsync(838_000)
    expect(calls.filter((c) => c.url.endsWith('/auth/refresh'))).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(3_000)
    const refreshes = calls.filter((c) => c.url.endsWith('/auth/refresh'))
    expect(refreshes).toHaveLength(1)
    expect(refreshes[0]!.body).toEqual({ refresh_token: 'refresh-1' })
    expect(session.accessToken).toBe('access-2')
    expect(sessionStorage.getItem('chatpassagens.refresh')).toBe('refresh-2')
  })

  it('signs out with a reason when the refresh token is refused (reused or revoked)', async () => {
    const session = useSession()
    await session.login('ana@example.com', 'correct horse battery')
    refreshAnswer = () => json(401, { error: { code: 'invalid_token', message: 'refresh token reused' } })
    expect(await session.refresh()).toBe(false)
    expect(session.signedIn).toBe(false)
    expect(session.signedOutReason).toBe('revoked')
    expect(session.accessToken).toBeNull()
    expect(sessionStorage.getItem('chatpassagens.refresh')).toBeNull()
  })

  it('keeps the session when the refresh fails for want of a network', async () => {
    const session = useSession()
    await session.login('ana@example.com', 'correct horse battery')
    refreshAnswer = () => {
      throw new TypeError('Failed to fetch')
    }
    expect(await session.refresh()).toBe(false)
    expect(session.signedIn).toBe(true)
    expect(session.signedOutReason).toBeNull()
  })

  it('refreshes once for many callers of an expired token', async () => {
    const session = useSession()
    await session.login('ana@example.com', 'correct horse battery')
    vi.setSystemTime(Date.now() + 900_000)
    const tokens = await Promise.all([session.token(), session.token(), session.token()])
    expect(tokens).toEqual(['access-2', 'access-2', 'access-2'])
    expect(calls.filter((c) => c.url.endsWith('/auth/refresh'))).toHaveLength(1)
  })

  it('a request refused with 401 is retried once with a renewed token', async () => {
    const session = useSession()
    await session.login('ana@example.com', 'correct horse battery')
    const page = await api.conversations()
    expect(page.conversations).toEqual([])
    const listed = calls.filter((c) => c.url.includes('/conversations'))
    expect(listed.map((c) => c.auth)).toEqual(['Bearer access-1', 'Bearer access-2'])
  })
})
