import { test, expect } from '@playwright/test'
import { SHOTS, br, futureDay } from './helpers'

test('search through the form with airport autocomplete, without an account', async ({ page }) => {
  const day = futureDay()
  await page.goto('/voos')
  await expect(page.getByRole('heading', { name: 'Buscar voos' })).toBeVisible()

  await page.getByRole('combobox', { name: 'Origem' }).fill('são paulo')
  await page.getByRole('option', { name: /São Paulo \(SAO\)|Sao Paulo \(SAO\)/ }).first().click()
  await page.getByRole('combobox', { name: 'Destino' }).fill('lisb')
  await page.getByRole('option', { name: /Lisbon \(LIS\)/ }).click()

  await page.getByLabel('Ida', { exact: true }).fill(br(day.iso))
  const back = new Date(`${day.iso}T12:00:00`)
  back.setDate(back.getDate() + 14)
  await page.getByLabel('Volta', { exact: true }).fill(br(back.toISOString().slice(0, 10)))
  await page.getByLabel('Adultos').fill('2')
  await page.getByRole('button', { name: 'Buscar', exact: true }).click()

  await expect(page.getByRole('status').filter({ hasText: /voos encontrados/ })).toBeVisible()
  const cards = page.getByRole('article', { name: /^Opção \d+: R\$/ })
  await expect(cards.first()).toBeVisible()
  await expect(cards.first()).toContainText('Ida')
  await expect(cards.first()).toContainText('Volta')
  await expect(cards.first()).toContainText('2 passageiros')
  await page.screenshot({ path: `${SHOTS}/desktop-search.png` })

  // A filter the server applies: nonstop only.
  await page.getByText('Filtros').click()
  await page.getByLabel('Paradas').click()
  await page.getByRole('option', { name: 'Só voos diretos' }).click()
  await page.getByRole('button', { name: 'Buscar', exact: true }).click()
  // Retried until the new answer replaces the old cards: none with a stop.
  await expect(cards.filter({ hasText: /\d parada/ })).toHaveCount(0)
  await expect(cards.first()).toBeVisible()
})

test('a refused search shows the server’s reason on the field', async ({ page }) => {
  await page.goto('/voos')
  await page.getByRole('button', { name: 'Só ida' }).click()
  await page.getByRole('combobox', { name: 'Origem' }).fill('recife')
  await page.getByRole('option', { name: /Recife \(REC\)/ }).click()
  await page.getByRole('combobox', { name: 'Destino' }).fill('lisb')
  await page.getByRole('option', { name: /Lisbon \(LIS\)/ }).click()
  await page.getByLabel('Ida', { exact: true }).fill('10/01/2020')
  await page.getByRole('button', { name: 'Buscar', exact: true }).click()
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('Ida')
  await expect(alert).toContainText('is in the past')
})

test('a search without a destination is stopped before it is sent', async ({ page }) => {
  let sent = 0
  await page.route('**/search', (route) => {
    sent += 1
    return route.continue()
  })
  await page.goto('/voos')
  await page.getByRole('combobox', { name: 'Origem' }).fill('recife')
  await page.getByRole('option', { name: /Recife \(REC\)/ }).click()
  await page.getByRole('button', { name: 'Buscar', exact: true }).click()
  await expect(page.getByRole('alert')).toContainText('Escolha a origem e o destino')
  expect(sent).toBe(0)
})

test('a multi-city search lists each flight of the trip', async ({ page }) => {
  const day = futureDay()
  const later = (days: number) => {
    const d = new Date(`${day.iso}T12:00:00`)
    d.setDate(d.getDate() + days)
    return d.toISOString().slice(0, 10)
  }
  await page.goto('/voos')
  await page.getByRole('button', { name: 'Vários trechos' }).click()
  const leg1 = page.getByRole('group', { name: 'Trecho 1' })
  const leg2 = page.getByRole('group', { name: 'Trecho 2' })
  await leg1.getByRole('combobox', { name: 'Origem' }).fill('rio de janeiro')
  await page.getByRole('option', { name: /Rio de Janeiro \(RIO\)/ }).click()
  await leg1.getByRole('combobox', { name: 'Destino' }).fill('lisb')
  await page.getByRole('option', { name: /Lisbon \(LIS\)/ }).click()
  await leg1.getByLabel('Data', { exact: true }).fill(br(day.iso))
  await expect(leg2.getByRole('combobox', { name: 'Origem' })).toHaveValue(/LIS/)
  await leg2.getByRole('combobox', { name: 'Destino' }).fill('madri')
  await page.getByRole('option', { name: /Madrid \(MAD\)/ }).click()
  await leg2.getByLabel('Data', { exact: true }).fill(br(later(7)))
  await page.getByRole('button', { name: 'Buscar', exact: true }).click()
  const card = page.getByRole('article', { name: /^Opção 1: R\$/ })
  await expect(card).toContainText('Trecho 1')
  await expect(card).toContainText('Trecho 2')
  await expect(card).toContainText('MAD')
  await page.screenshot({ path: `${SHOTS}/desktop-search-multi-city.png`, fullPage: true })
})
