import { test, expect } from '@playwright/test'
import { PASSWORD, newEmail } from './helpers'

test('the sidebar pages through many conversations with “Carregar mais”', async ({ page, request }) => {
  // A traveller with 23 conversations, made through the API.
  const email = newEmail('paging')
  const signup = await request.post('/auth/signup', { data: { email, password: PASSWORD } })
  expect(signup.status()).toBe(201)
  const grant = (await signup.json()) as { access_token: string; refresh_token: string; user: unknown }
  for (let i = 1; i <= 23; i++) {
    const turn = await request.post('/chat', {
      headers: { authorization: `Bearer ${grant.access_token}` },
      data: { message: `oi número ${i}` },
    })
    expect(turn.ok()).toBe(true)
  }
  // The same session in the browser: the refresh token where the app keeps it.
  await page.addInitScript(
    ([token, user]) => {
      if (!sessionStorage.getItem('chatpassagens.refresh')) {
        sessionStorage.setItem('chatpassagens.refresh', token)
        sessionStorage.setItem('chatpassagens.user', user)
      }
    },
    [grant.refresh_token, JSON.stringify(grant.user)],
  )
  await page.goto('/')
  const sidebar = page.getByRole('navigation', { name: 'Conversas' })
  const entries = sidebar.getByRole('link').filter({ hasNotText: 'Nova conversa' })
  await expect(entries).toHaveCount(20)
  await sidebar.getByRole('button', { name: 'Carregar mais' }).click()
  await expect(entries).toHaveCount(23)
  await expect(sidebar.getByRole('button', { name: 'Carregar mais' })).toHaveCount(0)
})
