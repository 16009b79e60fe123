import type { Pinia } from 'pinia'
import { api } from 'src/api'
import { useSession } from 'src/stores/session'

/** Gives the API client the session's tokens. */
export function bootApi(pinia: Pinia): void {
  const session = useSession(pinia)
  api.useTokens({
    accessToken: () => session.token(),
    renew: () => session.refresh(),
  })
}
