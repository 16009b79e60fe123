import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { Quasar } from 'quasar'
import { createI18n } from 'vue-i18n'
import { createMemoryHistory, createRouter } from 'vue-router'
import messages from 'src/i18n'
import { api, type Notification } from 'src/api'
import { useNotifications } from 'src/stores/notifications'
import NotificationBell from './NotificationBell.vue'

function note(id: string, message: string, read = false): Notification {
  return {
    id,
    watch_id: 'w1',
    day: '2026-11-30',
    price: '1704.71',
    currency: 'BRL',
    message,
    created_at: '2026-11-30T16:00:00Z',
    read_at: read ? '2026-11-30T17:00:00Z' : null,
  }
}

// The server's side, in memory: what the bell asks for and is told.
let inbox: Notification[] = []
const unread = () => inbox.filter((n) => !n.read_at).length

beforeEach(() => {
  setActivePinia(createPinia())
  inbox = [note('n2', 'Recife → Lisboa está em R$ 1.704,71'), note('n1', 'São Paulo → Lisboa caiu', false), note('n0', 'antiga', true)]
  vi.spyOn(api, 'notifications').mockImplementation(async () => ({ notifications: inbox.map((n) => ({ ...n })), unread: unread() }))
  vi.spyOn(api, 'readNotifications').mockImplementation(async (ids?: string[]) => {
    let read = 0
    inbox = inbox.map((n) => {
      if (n.read_at || (ids && !ids.includes(n.id))) return n
      read += 1
      return { ...n, read_at: '2026-11-30T18:00:00Z' }
    })
    return { read, unread: unread() }
  })
})

afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

async function render(locale: 'pt-BR' | 'en' = 'pt-BR') {
  const i18n = createI18n({ legacy: false, locale, messages })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { template: '<div />' } },
      { path: '/alertas', name: 'watches', component: { template: '<div />' } },
    ],
  })
  await router.push('/')
  const w = mount(NotificationBell, { attachTo: document.body, global: { plugins: [Quasar, i18n, router] } })
  await useNotifications().load()
  await flushPromises()
  return { w, router }
}

const bell = (w: Awaited<ReturnType<typeof render>>['w']) => w.get('[data-testid="bell"]')

describe('NotificationBell', () => {
  it('carries the unread count, in its name and on a badge', async () => {
    const { w } = await render()
    expect(bell(w).attributes('aria-label')).toBe('Notificações: 2 não lidas')
    expect(w.get('.q-badge').text()).toBe('2')
  })

  it('lists the notifications, unread ones marked, and marks them all read', async () => {
    const { w } = await render()
    await bell(w).trigger('click')
    await flushPromises()
    const panel = document.querySelector('[role="dialog"]')!
    expect(panel.getAttribute('aria-label')).toBe('Notificações')
    const items = [...panel.querySelectorAll('[data-testid="notification"]')].map((i) => i.textContent ?? '')
    expect(items).toHaveLength(3)
    expect(items[0]).toContain('Não lida: Recife → Lisboa está em R$ 1.704,71')
    expect(items[2]).not.toContain('Não lida')

    const all = [...panel.querySelectorAll('button')].find((b) => b.textContent?.includes('Marcar todas como lidas'))!
    all.click()
    await flushPromises()
    expect(api.readNotifications).toHaveBeenCalledWith(undefined)
    expect(bell(w).attributes('aria-label')).toBe('Notificações')
    expect(w.find('.q-badge').exists()).toBe(false)
    expect(document.querySelector('[role="dialog"]')!.textContent).not.toContain('Não lida')
  })

  it('opening one marks only it read and goes to the alerts page', async () => {
    const { w, router } = await render('en')
    expect(bell(w).attributes('aria-label')).toBe('Notifications: 2 unread')
    await bell(w).trigger('click')
    await flushPromises()
    const first = document.querySelector('[data-testid="notification"] button') as HTMLButtonElement
    first.click()
    await flushPromises()
    expect(api.readNotifications).toHaveBeenCalledWith(['n2'])
    expect(bell(w).attributes('aria-label')).toBe('Notifications: 1 unread')
    expect(router.currentRoute.value.name).toBe('watches')
  })
})
