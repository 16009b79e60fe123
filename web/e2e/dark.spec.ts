import { test, expect } from '@playwright/test'
import { SHOTS, futureDay, signUp } from './helpers'

test.use({ colorScheme: 'dark' })

test('follows a dark system theme', async ({ page }) => {
  await signUp(page, 'dark')
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
  // A dark page: each channel well under the middle.
  const channels = background.match(/\d+/g)!.slice(0, 3).map(Number)
  expect(Math.max(...channels)).toBeLessThan(60)

  const day = futureDay()
  await page.getByLabel('Sua mensagem').fill(`quero ir de São Paulo para Lisboa em ${day.pt}, 2 adultos`)
  await page.getByRole('button', { name: 'Enviar' }).click()
  await expect(page.getByTestId('answer')).toContainText('Encontrei')
  await expect(page.getByRole('article', { name: /^Opção 1: R\$/ })).toBeVisible()
  await page.screenshot({ path: `${SHOTS}/desktop-chat-dark.png` })
})
