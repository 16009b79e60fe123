// The bell: the traveller's notifications, newest first and paged by the
// server's cursor, with the unread count. Polled while signed in (and when
// the tab comes back into view), so a price drop shows without a reload.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, type Notification } from 'src/api'

/** How often the unread count is asked for while the tab is visible. */
export const POLL_MS = 60_000

export const useNotifications = defineStore('notifications', () => {
  const items = ref<Notification[]>([])
  const unread = ref(0)
  const nextCursor = ref<string | undefined>()
  const loading = ref(false)
  const error = ref<unknown>(null)
  let timer: ReturnType<typeof setInterval> | undefined

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      const page = await api.notifications()
      items.value = page.notifications
      unread.value = page.unread
      nextCursor.value = page.next_cursor
    } catch (e) {
      error.value = e
    } finally {
      loading.value = false
    }
  }

  async function loadMore(): Promise<void> {
    if (!nextCursor.value || loading.value) return
    loading.value = true
    try {
      const page = await api.notifications(nextCursor.value)
      const known = new Set(items.value.map((n) => n.id))
      items.value.push(...page.notifications.filter((n) => !known.has(n.id)))
      unread.value = page.unread
      nextCursor.value = page.next_cursor
    } catch (e) {
      error.value = e
    } finally {
      loading.value = false
    }
  }

  /** Marks `ids` read (or every one without them); the server says how many are left. */
  async function markRead(ids?: string[]): Promise<void> {
    const answer = await api.readNotifications(ids)
    const now = new Date().toISOString()
    const chosen = ids ? new Set(ids) : null
    items.value = items.value.map((n) =>
      n.read_at || (chosen && !chosen.has(n.id)) ? n : { ...n, read_at: now },
    )
    unread.value = answer.unread
  }

  const onVisible = () => {
    if (document.visibilityState === 'visible') void load()
  }

  function start(): void {
    stop()
    void load()
    timer = setInterval(() => {
      if (document.visibilityState !== 'hidden') void load()
    }, POLL_MS)
    document.addEventListener('visibilitychange', onVisible)
  }

  function stop(): void {
    clearInterval(timer)
    timer = undefined
    document.removeEventListener('visibilitychange', onVisible)
  }

  function reset(): void {
    stop()
    items.value = []
    unread.value = 0
    nextCursor.value = undefined
  }

  return { items, unread, nextCursor, loading, error, load, loadMore, markRead, start, stop, reset }
})
