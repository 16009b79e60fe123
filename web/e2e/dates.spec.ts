import { test, expect } from '@playwright/test'
import { SHOTS } from './helpers'

const pad = (n: number) => String(n).padStart(2, '0')

test('dates read dd/mm/aaaa in Portuguese and mm/dd/yyyy in English, typed or picked', async ({ page }) => {
  await page.goto('/voos')
  const departure = page.getByLabel('Ida', { exact: true })
  // The default departure, 30 days ahead, in Brazilian order.
  const d = new Date()
  d.setDate(d.getDate() + 30)
  await expect(departure).toHaveValue(`${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()}`)
  await expect(page.getByText('dd/mm/aaaa').first()).toBeVisible()

  // Picked from the calendar, in Portuguese.
  await page.getByRole('button', { name: 'Abrir calendário: Ida' }).click()
  const months = ['janeiro', 'fevereiro', 'março', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro']
  const calendar = page.locator('.q-date')
  await expect(calendar).toContainText(new RegExp(months[d.getMonth()]!, 'i'))
  await page.screenshot({ path: `${SHOTS}/desktop-date-picker.png` })
  // Each day is a button named by its full date, in Portuguese.
  await calendar.getByRole('button', { name: new RegExp(`^28 ${months[d.getMonth()]} ${d.getFullYear()}$`, 'i') }).click()
  await expect(calendar).toBeHidden()
  const picked = `28/${pad(d.getMonth() + 1)}/${d.getFullYear()}`
  await expect(departure).toHaveValue(picked)

  // A day that does not exist is refused on the field.
  await departure.fill('31/02/2030')
  await departure.blur()
  await expect(page.getByText('Data inválida; use dd/mm/aaaa')).toBeVisible()
  await departure.fill(picked)
  await departure.blur()
  await expect(page.getByText('Data inválida')).toHaveCount(0)

  // The same date in English: month first.
  await page.getByRole('button', { name: 'Idioma' }).click()
  await page.getByRole('menuitemradio', { name: 'English' }).click()
  await expect(page.getByLabel('Departure', { exact: true })).toHaveValue(`${pad(d.getMonth() + 1)}/28/${d.getFullYear()}`)
  await expect(page.getByText('mm/dd/yyyy').first()).toBeVisible()
})
