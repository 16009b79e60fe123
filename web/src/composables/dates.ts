// Calendar dates typed and shown in the interface language's order
// (10/03/2027 in Portuguese, 03/10/2027 in English), kept as ISO
// `YYYY-MM-DD` everywhere else.

export type DateOrder = 'dmy' | 'mdy' | 'ymd'

const orders = new Map<string, DateOrder>()

/** The order of day, month and year in `locale`'s numeric dates. */
export function dateOrder(locale: string): DateOrder {
  let order = orders.get(locale)
  if (!order) {
    const parts = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric' })
      .formatToParts(new Date(Date.UTC(2027, 2, 10)))
      .map((p) => p.type)
      .filter((t) => t === 'day' || t === 'month' || t === 'year')
      .map((t) => t[0])
      .join('')
    order = parts === 'mdy' || parts === 'ymd' ? parts : 'dmy'
    orders.set(locale, order)
  }
  return order
}

/** `YYYY-MM-DD` as the locale writes it, e.g. `10/03/2027`; '' for anything else. */
export function showDate(iso: string, order: DateOrder): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  if (!m) return ''
  const [, y, mo, d] = m as unknown as [string, string, string, string]
  if (order === 'ymd') return `${y}/${mo}/${d}`
  return order === 'mdy' ? `${mo}/${d}/${y}` : `${d}/${mo}/${y}`
}

/** A date typed in the locale's order as `YYYY-MM-DD`, or null when it is no date. */
export function readDate(text: string, order: DateOrder): string | null {
  const m = /^\s*(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})\s*$/.exec(text)
  if (!m) return null
  const [a, b, c] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const [y, mo, d] = order === 'ymd' ? [a, b, c] : order === 'mdy' ? [c, a, b] : [c, b, a]
  if (y < 1000 || y > 9999) return null
  const date = new Date(Date.UTC(y, mo - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null
  return date.toISOString().slice(0, 10)
}

/** The input mask Quasar applies while typing: digits and slashes. */
export function dateMask(order: DateOrder): string {
  return order === 'ymd' ? '####/##/##' : '##/##/####'
}
