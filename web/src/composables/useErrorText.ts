import { useI18n } from 'vue-i18n'
import { ApiError } from 'src/api'

/** Words for a traveller about any failure. */
export function useErrorText() {
  const { t } = useI18n()

  // The server names fields as its JSON does (`legs[1].date`); say them as
  // the form does.
  function fieldName(field: string): string {
    const leg = /^legs\[(\d+)\]\.(origin|destination|date)$/.exec(field)
    if (leg) {
      const n = Number(leg[1])
      const what = leg[2] === 'origin' ? t('search.origin') : leg[2] === 'destination' ? t('search.destination') : n === 0 ? t('search.departure') : t('search.date')
      return n === 0 ? what : `${what} (${t('search.leg', { n: n + 1 })})`
    }
    const known: Record<string, string> = {
      adults: t('search.adults'),
      children: t('search.children'),
      infants: t('search.infants'),
      message: t('chat.inputLabel'),
      email: t('auth.email'),
      password: t('auth.password'),
    }
    return known[field] ?? field
  }
  return (e: unknown): string => {
    if (e instanceof ApiError) {
      if (e.isNetwork) return t('errors.network')
      if (e.status === 429) return t('errors.tooMany')
      if (e.status >= 500) return t('errors.server', { status: e.status })
      if (e.code === 'invalid_credentials') return t('errors.credentials')
      if (e.field) return t('search.invalid', { field: fieldName(e.field), message: e.message })
      return t('errors.generic', { message: e.message })
    }
    return t('errors.generic', { message: e instanceof Error ? e.message : String(e) })
  }
}
