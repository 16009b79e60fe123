// The sidebar's list of the traveller's conversations, newest first, paged
// by the server's cursor.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, type Conversation } from 'src/api'

export const useConversations = defineStore('conversations', () => {
  const items = ref<Conversation[]>([])
  const nextCursor = ref<string | undefined>()
  const loading = ref(false)
  const loaded = ref(false)
  const error = ref<unknown>(null)

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      const page = await api.conversations()
      items.value = page.conversations
      nextCursor.value = page.next_cursor
      loaded.value = true
    } catch (e) {
      error.value = e
    } finally {
      loading.value = false
    }
  }

  async function loadMore(): Promise<void> {
    if (!nextCursor.value || loading.value) return
    loading.value = true
    error.value = null
    try {
      const page = await api.conversations(nextCursor.value)
      const known = new Set(items.value.map((c) => c.id))
      items.value.push(...page.conversations.filter((c) => !known.has(c.id)))
      nextCursor.value = page.next_cursor
    } catch (e) {
      error.value = e
    } finally {
      loading.value = false
    }
  }

  /** A conversation the chat just created or continued moves to the top. */
  function touch(id: string, title: string | null): void {
    const existing = items.value.find((c) => c.id === id)
    const now = new Date().toISOString()
    const entry: Conversation = existing
      ? { ...existing, title: title ?? existing.title, updated_at: now }
      : { id, user_id: '', title, created_at: now, updated_at: now, message_count: 0 }
    items.value = [entry, ...items.value.filter((c) => c.id !== id)]
  }

  async function rename(id: string, title: string): Promise<void> {
    const updated = await api.rename(id, title)
    items.value = items.value.map((c) => (c.id === id ? updated : c))
  }

  async function remove(id: string): Promise<void> {
    await api.deleteConversation(id)
    items.value = items.value.filter((c) => c.id !== id)
  }

  function reset(): void {
    items.value = []
    nextCursor.value = undefined
    loaded.value = false
  }

  return { items, nextCursor, loading, loaded, error, load, loadMore, touch, rename, remove, reset }
})
