import { ref } from 'vue'
import { api, type Place } from 'src/api'

/** Autocomplete against `/airports?q=`: the latest answer wins. */
export function useAirportSearch() {
  const options = ref<Place[]>([])
  let controller: AbortController | null = null

  async function lookup(q: string): Promise<void> {
    controller?.abort()
    const text = q.trim()
    if (text.length < 2) {
      options.value = []
      return
    }
    const mine = new AbortController()
    controller = mine
    try {
      const { places } = await api.airports(text, mine.signal)
      if (controller === mine) options.value = places
    } catch {
      if (controller === mine) options.value = []
    }
  }

  return { options, lookup }
}
