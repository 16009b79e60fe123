import { test, expect } from '@playwright/test'
import { SHOTS } from './helpers'

const pad = (n: number) => String(n).padStart(2, '0')

test('dates read dd/mm/aaaa in Portuguese and mm/dd/yyyy in English, typed or picked', async ({ page }) => {
  await page.goto('/voos')
  const departure = page.getByLabel('Ida', { exact: true })
  // The default departure, 30 days ahead, in Brazilian order.
  // "Today" as the page sees it: the browser runs in São Paulo's time zone,
  // which is a day behind UTC from 21:00 there.
  const [year, month, day] = await page.evaluate(() => {
    const d = new Date()
    d.setDate(d.getDate() + 30)
    return [d.getFullYear(), d.getMonth() + 1, d.getDate()] as [number, number, number]
  })
  await expect(departure).toHaveValue(`${pad(day)}/${pad(month)}/${year}`)
  await expect(page.getByText('dd/mm/aaaa').first()).toBeVisible()

  // Picked from the calendar, in Portuguese.
  await page.getByRole('button', { name: 'Abrir calendário: Ida' }).click()
  const months = ['janeiro', 'fevereiro', 'março', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro']
  const calendar = page.locator('.q-date')
  await expect(calendar).toContainText(new RegExp(months[month - 1]!, 'i'))
  // Its heading is written as Portuguese writes dates: "qua., 30 de dez.",
  // the month in lower case.
  const short = months[month - 1]!.slice(0, 3)
  await expect(calendar.locator('.q-date__header-title')).toContainText(new RegExp(`^\\S+ ${day} de ${short}`))
  await page.screenshot({ path: `${SHOTS}/desktop-date-picker.png` })
  // Each day is a button named by its full date, in Portuguese.
  await calendar.getByRole('button', { name: new RegExp(`^28 ${months[month - 1]} ${year}$`, 'i') }).click()
  await expect(calendar).toBeHidden()
  const picked = `28/${pad(month)}/${year}`
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
  await expect(page.getByLabel('Departure', { exact: true })).toHaveValue(`${pad(month)}/28/${year}`)
  await expect(page.getByText('mm/dd/yyyy').first()).toBeVisible()
})
