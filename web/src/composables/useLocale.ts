import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { Lang } from 'quasar'
import { locales, type AppLocale } from 'src/i18n'
import { rememberLocale } from 'src/boot/i18n'

/** The interface language: read, switch and remember it. */
export function useLocale() {
  const { locale } = useI18n({ useScope: 'global' })
  const current = computed<AppLocale>(() => locale.value as AppLocale)

  async function set(next: AppLocale): Promise<void> {
    locale.value = next
    rememberLocale(next)
    const lang =
      next === 'en'
        ? (await import('quasar/lang/en-US')).default
        : (await import('quasar/lang/pt-BR')).default
    Lang.set(lang as Parameters<typeof Lang.set>[0])
  }

  return { current, locales, set }
}
