import { test, expect } from '@playwright/test'
import { PASSWORD, SHOTS, futureDay, newEmail, signUp } from './helpers'

test('sign up, log out, log in; a wrong password is refused', async ({ page }) => {
  await page.goto('/')
  await expect(page).toHaveURL(/\/entrar$/)
  await expect(page.getByRole('heading', { name: 'Entre para conversar' })).toBeVisible()
  await page.screenshot({ path: `${SHOTS}/desktop-login.png` })

  const email = await signUp(page, 'account')
  await expect(page.getByText('Olá! Diga para onde')).toBeVisible()
  await page.getByRole('button', { name: 'Sair' }).click()
  await expect(page).toHaveURL(/\/entrar$/)

  await page.getByLabel('E-mail').fill(email)
  await page.getByLabel('Senha').fill('not the password at all')
  await page.getByRole('button', { name: 'Entrar' }).click()
  await expect(page.getByRole('alert')).toContainText('E-mail ou senha incorretos.')

  await page.getByLabel('Senha').fill(PASSWORD)
  await page.getByRole('button', { name: 'Entrar' }).click()
  await expect(page.getByRole('button', { name: 'Sair' })).toBeVisible()
  await expect(page.getByLabel('Sua mensagem')).toBeVisible()
})

test('an expired access token is refreshed and the app keeps working', async ({ page }) => {
  await signUp(page, 'refresh')
  const day = futureDay()
  const authorizations: string[] = []
  let refused = false
  await page.route('**/conversations?*', async (route) => {
    const auth = route.request().headers().authorization ?? ''
    authorizations.push(auth)
    if (!refused) {
      refused = true
      await route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'invalid_token', message: 'token expired' } }),
      })
    } else {
      await route.continue()
    }
  })
  const refreshed = page.waitForResponse((r) => r.url().endsWith('/auth/refresh') && r.status() === 200)
  // Reloading drops the in-memory access token: the app renews it with the
  // stored refresh token, and the first list call is refused as expired.
  await page.reload()
  await refreshed
  await expect(page.getByRole('navigation', { name: 'Conversas' })).toContainText('Suas conversas aparecem aqui.')
  expect(authorizations.length).toBeGreaterThanOrEqual(2)
  expect(authorizations[1]).toMatch(/^Bearer ey/)

  // Still signed in: a chat turn works.
  await page.getByLabel('Sua mensagem').fill(`de Recife para Lisboa em ${day.pt}`)
  await page.getByRole('button', { name: 'Enviar' }).click()
  await expect(page.getByTestId('answer')).toContainText('Encontrei')
})

test('a refused refresh token signs out with a clear message', async ({ page }) => {
  await signUp(page, 'reuse')
  await page.route('**/auth/refresh', (route) =>
    route.fulfill({
      status: 401,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'invalid_token', message: 'refresh token reused' } }),
    }),
  )
  await page.reload()
  await expect(page).toHaveURL(/\/entrar/)
  await expect(page.getByRole('alert')).toContainText('Sua sessão terminou')
  await expect(page.getByRole('button', { name: 'Sair' })).toHaveCount(0)
})

test('new e-mails are unique per test run', () => {
  expect(newEmail('a')).not.toBe(newEmail('a'))
})
