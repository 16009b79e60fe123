import { test, expect, type Page } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'
import { futureDay, signUp } from './helpers'

// WCAG 2 A and AA rules (contrast included) on the main screens, light and dark.
// With `modal`, only the open dialog: the page behind its backdrop is inert.
// There axe samples the buttons' background through Quasar's backdrop
// (#999 under a white card; the browser paints the card, as screenshots
// show), so contrast is left to the same button styles checked on the pages.
async function violations(page: Page, modal?: string) {
  // Popups fade and scale in: check them once they have settled.
  await expect(page.locator('[class*="-enter-active"]')).toHaveCount(0)
  let axe = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
  if (modal) axe = axe.include(modal).disableRules(['color-contrast'])
  const result = await axe.analyze()
  return result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
  }))
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme })

    test('login, chat with offers and search results pass WCAG AA checks', async ({ page }) => {
      // Two waits of up to 30 s for the scheduled refresh, on a cold start.
      test.setTimeout(120_000)
      await page.goto('/entrar')
      await expect(page.getByRole('heading', { name: 'Entre para conversar' })).toBeVisible()
      expect(await violations(page)).toEqual([])

      await signUp(page, `a11y-${colorScheme}`)
      await page.getByLabel('Sua mensagem').fill(`quero ir de São Paulo para Lisboa em ${futureDay().pt}, 2 adultos`)
      await page.keyboard.press('Enter')
      await expect(page.getByRole('article', { name: /^Opção 1: R\$/ })).toBeVisible()
      expect(await violations(page)).toEqual([])

      await page.goto('/voos')
      await page.getByRole('combobox', { name: 'Origem' }).fill('recife')
      await page.getByRole('option', { name: /Recife \(REC\)/ }).click()
      await page.getByRole('combobox', { name: 'Destino' }).fill('lisb')
      await page.getByRole('option', { name: /Lisbon \(LIS\)/ }).click()
      await page.getByRole('button', { name: 'Buscar', exact: true }).click()
      await expect(page.getByRole('article', { name: /^Opção 1: R\$/ })).toBeVisible()
      await expect(page.getByTestId('insight')).toBeVisible()
      expect(await violations(page)).toEqual([])

      // The watch dialog, the alerts page with a priced watch, the bell's panel.
      await page.getByRole('button', { name: 'Acompanhar esta rota' }).click()
      await expect(page.getByRole('dialog')).toContainText('Acompanhar o preço')
      expect(await violations(page, '.q-dialog')).toEqual([])
      await page.getByRole('dialog').getByLabel('Avisar abaixo de (total, BRL)').fill('100000')
      await page.getByRole('dialog').getByRole('button', { name: 'Criar alerta' }).click()
      await expect(page.getByText('Alerta criado')).toBeVisible()
      await page.getByRole('link', { name: 'Alertas' }).click()
      await expect(page.getByRole('heading', { name: 'Alertas de preço' })).toBeVisible()
      const card = page.getByRole('article', { name: 'Alerta REC → LIS' })
      await expect(async () => {
        await page.reload()
        await expect(card.getByTestId('price-chart')).toBeVisible({ timeout: 3000 })
      }).toPass({ timeout: 30_000 })
      expect(await violations(page)).toEqual([])
      // The alert's notification comes with the refresh that priced the
      // watch, which may land after the chart: reload until the bell has it.
      const bell = page.getByRole('button', { name: /^Notificações: 1 não lida/ })
      await expect(async () => {
        await page.reload()
        await expect(bell).toBeVisible({ timeout: 3000 })
      }).toPass({ timeout: 30_000 })
      await bell.click()
      await expect(page.getByRole('dialog', { name: 'Notificações' })).toBeVisible()
      expect(await violations(page)).toEqual([])
    })
  })
}

test('chat by keyboard alone: skip link, message, Enter to send', async ({ page }) => {
  await signUp(page, 'keyboard')
  await page.goto('/')
  await page.keyboard.press('Tab')
  const skip = page.getByRole('link', { name: 'Pular para o conteúdo' })
  await expect(skip).toBeFocused()
  await expect(skip).toBeInViewport()
  const input = page.getByLabel('Sua mensagem')
  await input.focus()
  await page.keyboard.type(`de Recife para Lisboa em ${futureDay().pt}`)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('answer')).toContainText('Encontrei')
  await expect(input).toHaveValue('')
})
