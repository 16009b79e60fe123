import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { Lang } from 'quasar'
import langEn from 'quasar/lang/en-US'
import langPt from 'quasar/lang/pt-BR'
import { locales, type AppLocale } from 'src/i18n'
import { rememberLocale } from 'src/boot/i18n'

/** Quasar's own strings (date picker, dialogs) and <html lang> follow ours. */
export function setQuasarLang(locale: AppLocale): void {
  Lang.set((locale === 'en' ? langEn : langPt) as Parameters<typeof Lang.set>[0])
}

/** The interface language: read, switch and remember it. */
export function useLocale() {
  const { locale } = useI18n({ useScope: 'global' })
  const current = computed<AppLocale>(() => locale.value as AppLocale)

  function set(next: AppLocale): void {
    locale.value = next
    rememberLocale(next)
    setQuasarLang(next)
  }

  return { current, locales, set }
}
