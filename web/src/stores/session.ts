// The signed-in traveller: the access token lives only in memory; the
// rotating refresh token is kept in sessionStorage (see web/README.md for
// why), and the access token is renewed shortly before it expires.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, ApiError, type Grant, type User } from 'src/api'

const REFRESH_KEY = 'chatpassagens.refresh'
const USER_KEY = 'chatpassagens.user'

/** Why the app signed the traveller out by itself (shown on the login page). */
export type SignOutReason = 'expired' | 'revoked'

/** Renew this long before expiry: a minute, or a fifth of a short token's life. */
export function renewLead(lifetimeMs: number): number {
  return Math.min(60_000, Math.floor(lifetimeMs / 5))
}

function storage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null
  } catch {
    return null
  }
}

export const useSession = defineStore('session', () => {
  const user = ref<User | null>(null)
  const accessToken = ref<string | null>(null)
  const expiresAt = ref(0)
  const signedOutReason = ref<SignOutReason | null>(null)
  let refreshToken: string | null = storage()?.getItem(REFRESH_KEY) ?? null
  let timer: ReturnType<typeof setTimeout> | undefined
  let inflight: Promise<boolean> | null = null

  const storedUser = storage()?.getItem(USER_KEY)
  if (refreshToken && storedUser) {
    try {
      user.value = JSON.parse(storedUser) as User
    } catch {
      user.value = null
    }
  }

  const signedIn = computed(() => user.value !== null)

  function schedule(lifetimeMs: number): void {
    clearTimeout(timer)
    timer = setTimeout(() => void refresh(), Math.max(0, lifetimeMs - renewLead(lifetimeMs)))
  }

  function apply(grant: Grant): void {
    user.value = grant.user
    accessToken.value = grant.access_token
    const lifetimeMs = grant.expires_in * 1000
    expiresAt.value = Date.now() + lifetimeMs
    refreshToken = grant.refresh_token
    signedOutReason.value = null
    storage()?.setItem(REFRESH_KEY, grant.refresh_token)
    storage()?.setItem(USER_KEY, JSON.stringify(grant.user))
    schedule(lifetimeMs)
  }

  function clear(reason: SignOutReason | null): void {
    clearTimeout(timer)
    user.value = null
    accessToken.value = null
    expiresAt.value = 0
    refreshToken = null
    signedOutReason.value = reason
    storage()?.removeItem(REFRESH_KEY)
    storage()?.removeItem(USER_KEY)
  }

  async function signup(email: string, password: string): Promise<void> {
    apply(await api.signup(email, password))
  }

  async function login(email: string, password: string): Promise<void> {
    apply(await api.login(email, password))
  }

  async function logout(): Promise<void> {
    const token = accessToken.value
    clear(null)
    if (token) {
      // Revoking is best effort: the tokens are gone from this tab either way.
      await api.logout(token).catch(() => undefined)
    }
  }

  /**
   * Trades the refresh token for new tokens, once at a time. A refused token
   * (expired, revoked, or already used elsewhere) signs out; a network failure
   * keeps the session and tries again in a while.
   */
  function refresh(): Promise<boolean> {
    if (inflight) return inflight
    const token = refreshToken
    if (!token) return Promise.resolve(false)
    inflight = (async () => {
      try {
        apply(await api.refresh(token))
        return true
      } catch (e) {
        if (e instanceof ApiError && !e.isNetwork && e.status < 500) {
          clear(e.status === 401 ? 'revoked' : 'expired')
        } else {
          clearTimeout(timer)
          timer = setTimeout(() => void refresh(), 15_000)
        }
        return false
      } finally {
        inflight = null
      }
    })()
    return inflight
  }

  /** A usable access token: renewed first when missing or about to expire. */
  async function token(): Promise<string | null> {
    if (accessToken.value && expiresAt.value - Date.now() > 5_000) return accessToken.value
    if (refreshToken && (await refresh())) return accessToken.value
    return null
  }

  return {
    user,
    accessToken,
    expiresAt,
    signedOutReason,
    signedIn,
    signup,
    login,
    logout,
    refresh,
    token,
    clear,
  }
})
