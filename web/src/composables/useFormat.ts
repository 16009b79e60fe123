// Formatting of prices, times and durations for the current language.
import { useI18n } from 'vue-i18n'
import type { Money, Passengers, Segment } from 'src/api'

/** Minutes between two RFC 3339 instants. */
export function minutesBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 60_000)
}

/** Whole days between the local dates of two `YYYY-MM-DDTHH:MM` values. */
export function dayOffset(departureLocal: string, arrivalLocal: string): number {
  const day = (s: string) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10))
  return Math.round((day(arrivalLocal) - day(departureLocal)) / 86_400_000)
}

/** Layovers of a slice: where, and for how long. */
export function layovers(segments: Segment[]): { airport: string; minutes: number }[] {
  const out: { airport: string; minutes: number }[] = []
  for (let i = 0; i + 1 < segments.length; i++) {
    const here = segments[i]!
    const next = segments[i + 1]!
    out.push({ airport: here.destination, minutes: minutesBetween(here.arrival_utc, next.departure_utc) })
  }
  return out
}

export function travellers(p: Passengers): number {
  return p.adults + p.children + p.infants
}

// Intl formatters are costly to create (locale data is loaded on first use):
// one per locale and options, shared by every card.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>()

function numberFormat(locale: string, currency: string, digits: number): Intl.NumberFormat {
  const key = `n|${locale}|${currency}|${digits}`
  let f = formatters.get(key) as Intl.NumberFormat | undefined
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: digits })
    formatters.set(key, f)
  }
  return f
}

function dayFormat(locale: string): Intl.DateTimeFormat {
  const key = `d|${locale}`
  let f = formatters.get(key) as Intl.DateTimeFormat | undefined
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' })
    formatters.set(key, f)
  }
  return f
}

export function useFormat() {
  const { t, locale } = useI18n()

  function money(m: Money, divideBy = 1): string {
    const value = Number(m.amount) / divideBy
    return numberFormat(locale.value, m.currency, divideBy === 1 ? 2 : 0).format(value)
  }

  function duration(minutes: number): string {
    return t('offer.duration', { h: Math.floor(minutes / 60), m: minutes % 60 })
  }

  /** `HH:MM` of a local time, as the airport's clocks show it. */
  function clock(local: string): string {
    return local.slice(11, 16)
  }

  function date(local: string): string {
    const d = new Date(Date.UTC(+local.slice(0, 4), +local.slice(5, 7) - 1, +local.slice(8, 10)))
    return dayFormat(locale.value).format(d)
  }

  /** A rounded amount, for chart axes. */
  function whole(value: number, currency: string): string {
    return numberFormat(locale.value, currency, 0).format(value)
  }

  return { money, whole, duration, clock, date, locale }
}
