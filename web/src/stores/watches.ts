// The traveller's watches: listed fresh from the server whenever a screen
// needs them (the chat can create one too), changed one at a time.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, type Watch, type WatchChange, type WatchRequest } from 'src/api'

export const useWatches = defineStore('watches', () => {
  const items = ref<Watch[]>([])
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref<unknown>(null)

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      items.value = (await api.watches()).watches
      loaded.value = true
    } catch (e) {
      error.value = e
    } finally {
      loading.value = false
    }
  }

  async function create(request: WatchRequest): Promise<Watch> {
    const watch = await api.createWatch(request)
    items.value = [watch, ...items.value.filter((w) => w.id !== watch.id)]
    return watch
  }

  async function update(id: string, change: WatchChange): Promise<Watch> {
    const watch = await api.updateWatch(id, change)
    items.value = items.value.map((w) => (w.id === id ? watch : w))
    return watch
  }

  async function remove(id: string): Promise<void> {
    await api.deleteWatch(id)
    items.value = items.value.filter((w) => w.id !== id)
  }

  function reset(): void {
    items.value = []
    loaded.value = false
  }

  return { items, loaded, loading, error, load, create, update, remove, reset }
})
