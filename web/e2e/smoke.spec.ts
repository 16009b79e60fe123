import { test, expect } from '@playwright/test'
import { SHOTS, signUp, futureDay } from './helpers'

test('look', async ({ page }) => {
  await signUp(page, 'look')
  await page.screenshot({ path: `${SHOTS}/look-empty.png` })
  const day = futureDay()
  await page.getByLabel('Sua mensagem').fill(`quero ir de São Paulo para Lisboa em ${day.pt}, 2 adultos`)
  await page.getByRole('button', { name: 'Enviar' }).click()
  await expect(page.getByTestId('answer')).toContainText('Encontrei')
  await page.screenshot({ path: `${SHOTS}/look-chat.png`, fullPage: true })
})
