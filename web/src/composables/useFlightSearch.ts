// The search form's state and its request: one way, round trip or
// multi-city, passengers, cabin, filters and sort.
import { computed, reactive, ref, watch } from 'vue'
import { api, type Cabin, type FareObservation, type SearchRequest, type SearchResponse, type Sort } from 'src/api'

export type Trip = 'one_way' | 'round_trip' | 'multi_city'

export interface FormLeg {
  origin: string
  destination: string
  date: string
}

/** `YYYY-MM-DD` of today + `days`, in the browser's calendar. */
/** A problem found before asking the server; `key` is an i18n key. */
export class FormError extends Error {
  constructor(readonly key: string) {
    super(key)
  }
}

export function isoDay(days: number, from = new Date()): string {
  const d = new Date(from.getFullYear(), from.getMonth(), from.getDate() + days)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

export function useFlightSearch() {
  const trip = ref<Trip>('round_trip')
  const legs = ref<FormLeg[]>([{ origin: '', destination: '', date: isoDay(30) }])
  const returnDate = ref(isoDay(37))
  const passengers = reactive({ adults: 1, children: 0, infants: 0 })
  const cabin = ref<Cabin>('economy')
  const sort = ref<Sort>('best')
  const maxStops = ref<number | null>(null)
  const maxPrice = ref('')
  const departAfter = ref('')
  const departBefore = ref('')
  const carriers = ref('')

  const result = ref<SearchResponse | null>(null)
  const error = ref<unknown>(null)
  const searching = ref(false)
  /** Prices seen before for the answer's route and dates (none for multi-city). */
  const series = ref<FareObservation[]>([])
  let controller: AbortController | null = null

  // Each flight of a multi-city trip starts, unless told otherwise, where
  // the previous one lands.
  watch(
    () => legs.value.map((l) => l.destination),
    (destinations) => {
      destinations.forEach((d, i) => {
        const next = legs.value[i + 1]
        if (d && next && !next.origin) next.origin = d
      })
    },
  )

  function setTrip(next: Trip): void {
    trip.value = next
    if (next !== 'multi_city') legs.value = legs.value.slice(0, 1)
    else if (legs.value.length < 2) {
      const first = legs.value[0]!
      legs.value.push({ origin: first.destination, destination: '', date: isoDay(37) })
    }
  }

  function addLeg(): void {
    const last = legs.value[legs.value.length - 1]
    legs.value.push({ origin: last?.destination ?? '', destination: '', date: last?.date ?? isoDay(30) })
  }

  function removeLeg(i: number): void {
    if (legs.value.length > 2) legs.value.splice(i, 1)
  }

  function swap(i: number): void {
    const leg = legs.value[i]
    if (leg) [leg.origin, leg.destination] = [leg.destination, leg.origin]
  }

  const request = computed<SearchRequest>(() => {
    const first = legs.value[0]!
    const wire =
      trip.value === 'round_trip'
        ? [first, { origin: first.destination, destination: first.origin, date: returnDate.value }]
        : legs.value
    const filters: NonNullable<SearchRequest['filters']> = {}
    const codes = carriers.value
      .split(/[\s,]+/)
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean)
    if (codes.length) filters.carriers = codes
    if (maxPrice.value.trim()) filters.max_price = maxPrice.value.trim().replace(',', '.')
    if (departAfter.value) filters.depart_after = departAfter.value
    if (departBefore.value) filters.depart_before = departBefore.value
    return {
      legs: wire.map((l) => ({ origin: l.origin, destination: l.destination, date: l.date })),
      passengers: { ...passengers },
      cabin: cabin.value,
      sort: sort.value,
      ...(maxStops.value === null ? {} : { max_stops: maxStops.value }),
      ...(Object.keys(filters).length ? { filters } : {}),
      limit: 30,
    }
  })

  /** A reason the form cannot be sent yet, as an i18n key. */
  const incomplete = computed<string | null>(() =>
    request.value.legs.some((l) => !l.origin || !l.destination) ? 'search.missingPlace' : null,
  )

  async function search(): Promise<void> {
    if (incomplete.value) {
      error.value = new FormError(incomplete.value)
      result.value = null
      return
    }
    controller?.abort()
    const mine = new AbortController()
    controller = mine
    searching.value = true
    error.value = null
    try {
      const answer = await api.search(request.value, mine.signal)
      if (controller === mine) {
        result.value = answer
        series.value = []
        void loadSeries(answer, mine.signal)
      }
    } catch (e) {
      if (controller === mine && !mine.signal.aborted) {
        error.value = e
        result.value = null
      }
    } finally {
      if (controller === mine) searching.value = false
    }
  }

  /** The history behind the answer's insight; a chart is a nicety, so failures are quiet. */
  async function loadSeries(answer: SearchResponse, signal: AbortSignal): Promise<void> {
    const { trip: kind, legs: wire, cabin: wireCabin } = answer.query
    if (!answer.insight || kind === 'multi_city' || !wire[0]) return
    try {
      const found = await api.priceSeries(
        {
          origin: wire[0].origin,
          destination: wire[0].destination,
          departure: wire[0].date,
          ...(kind === 'round_trip' && wire[1] ? { return: wire[1].date } : {}),
          cabin: wireCabin,
        },
        signal,
      )
      // A newer search aborts this one's signal: its history is not for the screen.
      if (!signal.aborted) series.value = found.observations
    } catch {
      // no chart
    }
  }

  return {
    trip,
    legs,
    returnDate,
    passengers,
    cabin,
    sort,
    maxStops,
    maxPrice,
    departAfter,
    departBefore,
    carriers,
    result,
    series,
    error,
    searching,
    setTrip,
    addLeg,
    removeLeg,
    swap,
    request,
    search,
  }
}
