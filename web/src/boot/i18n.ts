import { createI18n } from 'vue-i18n'
import messages, { locales, type AppLocale, type MessageSchema } from 'src/i18n'

const LOCALE_KEY = 'chatpassagens.locale'

function initialLocale(): AppLocale {
  try {
    const saved = localStorage.getItem(LOCALE_KEY)
    if (saved && (locales as string[]).includes(saved)) return saved as AppLocale
  } catch {
    // storage may be blocked; Portuguese is the default
  }
  return 'pt-BR'
}

export const i18n = createI18n<[MessageSchema], AppLocale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'pt-BR',
  messages,
})

export function rememberLocale(locale: AppLocale): void {
  try {
    localStorage.setItem(LOCALE_KEY, locale)
  } catch {
    // not remembered; still switched
  }
  document.documentElement.lang = locale
}
