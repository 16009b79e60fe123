import { useI18n } from 'vue-i18n'
import { ApiError } from 'src/api'

/** Words for a traveller about any failure. */
export function useErrorText() {
  const { t } = useI18n()
  return (e: unknown): string => {
    if (e instanceof ApiError) {
      if (e.isNetwork) return t('errors.network')
      if (e.status === 429) return t('errors.tooMany')
      if (e.status >= 500) return t('errors.server', { status: e.status })
      if (e.code === 'invalid_credentials') return t('errors.credentials')
      if (e.field) return t('search.invalid', { field: e.field, message: e.message })
      return t('errors.generic', { message: e.message })
    }
    return t('errors.generic', { message: e instanceof Error ? e.message : String(e) })
  }
}
