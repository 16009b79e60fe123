import { test, expect, type Page } from '@playwright/test'
import { SHOTS, br, futureDay, signUp } from './helpers'

// `scripts/test-web` runs the server's refresh tick every second, so a new
// watch is priced (and, under its target, notified) within moments, as the
// scheduled refresh would do in production.

async function searchOneWay(page: Page, from: RegExp, fromText: string, iso: string): Promise<void> {
  await page.goto('/voos')
  await page.getByRole('button', { name: 'Só ida' }).click()
  await page.getByRole('combobox', { name: 'Origem' }).fill(fromText)
  await page.getByRole('option', { name: from }).first().click()
  await page.getByRole('combobox', { name: 'Destino' }).fill('lisb')
  await page.getByRole('option', { name: /Lisbon \(LIS\)/ }).click()
  await page.getByLabel('Ida', { exact: true }).fill(br(iso))
  await page.getByRole('button', { name: 'Buscar', exact: true }).click()
  await expect(page.getByRole('article', { name: /^Opção 1: R\$/ })).toBeVisible()
}

test('watch a route from an offer card; pause, resume, change the target and delete it', async ({ page }) => {
  await signUp(page, 'watch')
  const day = futureDay()
  await searchOneWay(page, /São Paulo \(SAO\)|Sao Paulo \(SAO\)/, 'são paulo', day.iso)

  await page.getByRole('button', { name: 'Acompanhar preço da opção 1', exact: true }).click()
  const dialog = page.getByRole('dialog')
  await expect(dialog).toContainText('Acompanhar o preço')
  await expect(dialog).toContainText('SAO → LIS')
  await dialog.getByLabel('Avisar abaixo de (total, BRL)').fill('abc')
  await expect(dialog).toContainText('Digite um valor maior que zero')
  await dialog.getByLabel('Avisar abaixo de (total, BRL)').fill('4.500')
  await page.screenshot({ path: `${SHOTS}/desktop-watch-dialog.png` })
  await dialog.getByRole('button', { name: 'Criar alerta' }).click()
  await expect(page.getByText('Alerta criado')).toBeVisible()

  await page.getByRole('link', { name: 'Alertas' }).click()
  await expect(page.getByRole('heading', { name: 'Alertas de preço' })).toBeVisible()
  const card = page.getByRole('article', { name: 'Alerta SAO → LIS' })
  await expect(card).toContainText(/Meta: abaixo de R\$\s4\.500,00/)
  await expect(card.getByTestId('watch-status')).toHaveText('Ativo')

  await card.getByRole('button', { name: 'Pausar' }).click()
  await expect(card.getByTestId('watch-status')).toHaveText('Pausado')
  await page.reload()
  await expect(card.getByTestId('watch-status')).toHaveText('Pausado')
  await card.getByRole('button', { name: 'Retomar' }).click()
  await expect(card.getByTestId('watch-status')).toHaveText('Ativo')

  await card.getByRole('button', { name: 'Alterar meta' }).click()
  await page.getByRole('dialog').getByLabel('Avisar abaixo de (total, BRL)').fill('3.000')
  await page.getByRole('dialog').getByRole('button', { name: 'Salvar' }).click()
  await expect(card).toContainText(/Meta: abaixo de R\$\s3\.000,00/)
  await page.reload()
  await expect(card).toContainText(/Meta: abaixo de R\$\s3\.000,00/)

  await card.getByRole('button', { name: 'Excluir' }).click()
  await expect(page.getByRole('dialog')).toContainText('SAO → LIS')
  await page.getByRole('dialog').getByRole('button', { name: 'Excluir' }).click()
  await expect(card).toHaveCount(0)
  await expect(page.getByText('Você ainda não acompanha nenhuma rota.')).toBeVisible()
  await page.reload()
  await expect(page.getByText('Você ainda não acompanha nenhuma rota.')).toBeVisible()
})

test('a priced watch shows its chart; the bell counts the alert and marks it read', async ({ page }) => {
  await signUp(page, 'bell')
  const day = futureDay()
  await searchOneWay(page, /Recife \(REC\)/, 'recife', day.iso)
  await page.getByRole('button', { name: 'Acompanhar esta rota' }).click()
  const dialog = page.getByRole('dialog')
  // Far above any fare: the first price the refresh finds is under it.
  await dialog.getByLabel('Avisar abaixo de (total, BRL)').fill('100000')
  await dialog.getByRole('button', { name: 'Criar alerta' }).click()
  await expect(page.getByText('Alerta criado')).toBeVisible()

  await page.getByRole('link', { name: 'Alertas' }).click()
  await expect(page.getByRole('heading', { name: 'Alertas de preço' })).toBeVisible()
  const card = page.getByRole('article', { name: 'Alerta REC → LIS' })
  // The refresh prices the watch within a few seconds; the page shows what
  // the server has on each visit. It records the price in the history just
  // before it updates the watch, so wait for both.
  await expect(async () => {
    await page.reload()
    await expect(card.getByTestId('price-chart')).toBeVisible({ timeout: 3000 })
    await expect(card).toContainText(/Menor preço visto: R\$\s[\d.]+,\d{2}/, { timeout: 3000 })
  }).toPass({ timeout: 30_000 })
  await expect(card.getByTestId('chart-summary')).toContainText(/Um preço até agora: R\$\s[\d.]+,\d{2}/)
  await card.getByText('Ver os preços em tabela').click()
  await expect(card.getByRole('table')).toContainText(/R\$\s[\d.]+,\d{2}/)
  await page.screenshot({ path: `${SHOTS}/desktop-watches.png`, fullPage: true })

  const bell = page.getByRole('button', { name: 'Notificações: 1 não lida' })
  await expect(bell).toBeVisible()
  // By keyboard: Enter opens the panel, Enter on its button marks all read.
  await bell.focus()
  await page.keyboard.press('Enter')
  const panel = page.getByRole('dialog', { name: 'Notificações' })
  const item = panel.getByTestId('notification')
  await expect(item).toHaveCount(1)
  await expect(item).toContainText(/abaixo da sua meta de R\$\s100\.000,00/)
  await expect(page.locator('[class*="-enter-active"]')).toHaveCount(0)
  await page.screenshot({ path: `${SHOTS}/desktop-notifications.png` })
  await panel.getByRole('button', { name: 'Marcar todas como lidas' }).focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('button', { name: 'Notificações', exact: true })).toBeVisible()
  await expect(panel.getByRole('button', { name: 'Marcar como lida' })).toHaveCount(0)
  await page.keyboard.press('Escape')
  await page.reload()
  await expect(page.getByRole('button', { name: 'Notificações', exact: true })).toBeVisible()
})

test('a watch asked for in the chat shows on the watches page', async ({ page }) => {
  await signUp(page, 'chat-watch')
  const day = futureDay()
  await page.getByLabel('Sua mensagem').fill(`quero ir de Recife para Lisboa em ${day.pt}`)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('answer')).toContainText('Encontrei')
  await page.getByLabel('Sua mensagem').fill('me avisa quando baixar')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('answer').nth(1)).toContainText('Pronto! Vou acompanhar')

  await page.getByRole('link', { name: 'Alertas' }).click()
  await expect(page.getByRole('heading', { name: 'Alertas de preço' })).toBeVisible()
  const card = page.getByRole('article', { name: 'Alerta REC → LIS' })
  await expect(card).toBeVisible()
  await expect(card).toContainText('Sem meta: avisa quedas de 10%')
})

test('search results compare the price with history and chart the prices seen', async ({ page }) => {
  const day = futureDay()
  const later = new Date(`${day.iso}T12:00:00`)
  later.setDate(later.getDate() + 5)
  const iso = later.toISOString().slice(0, 10)
  await searchOneWay(page, /Rio de Janeiro \(RIO\)/, 'rio de janeiro', iso)
  const insight = page.getByTestId('insight')
  await expect(insight).toContainText(/Preço (baixo|típico|alto)/)
  await expect(insight).toContainText(/faixa típica \(R\$\s[\d.]+,\d{2} – R\$\s[\d.]+,\d{2} por pessoa\)/)
  await expect(insight).toContainText('preços de demonstração modelados')

  // A second search (two travellers) of the same route and date: the first
  // one's price is history now, and the chart shows the prices seen.
  await page.getByLabel('Adultos').fill('2')
  await page.getByRole('button', { name: 'Buscar', exact: true }).click()
  await expect(insight.getByTestId('price-chart')).toBeVisible()
  await expect(insight.getByTestId('chart-summary')).toContainText(/\d+ preços de/)
  await page.screenshot({ path: `${SHOTS}/desktop-search-insight.png`, fullPage: true })
})
