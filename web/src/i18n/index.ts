import ptBR from './pt-BR'
import en from './en'

export type MessageSchema = typeof ptBR
export type AppLocale = 'pt-BR' | 'en'
export const locales: AppLocale[] = ['pt-BR', 'en']

export default { 'pt-BR': ptBR, en } satisfies Record<AppLocale, MessageSchema>
