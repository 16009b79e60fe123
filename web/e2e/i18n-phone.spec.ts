import { test, expect } from '@playwright/test'
import { SHOTS, futureDay, signUp } from './helpers'

test('English through the language switch, remembered after a reload', async ({ page }) => {
  await signUp(page, 'english')
  await page.getByRole('button', { name: 'Idioma' }).click()
  await page.getByRole('menuitemradio', { name: 'English' }).click()
  await expect(page.getByLabel('Your message')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible()
  await expect(page.locator('html')).toHaveAttribute('lang', /^en/)

  const day = futureDay()
  await page.getByLabel('Your message').fill(`from Rio to Buenos Aires on ${day.en}, 2 adults`)
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(page.getByTestId('answer')).toContainText(/Found|found/)
  const card = page.getByRole('article', { name: /^Option 1: / })
  await expect(card).toContainText('per person')
  await expect(card).toContainText('2 passengers')
  await page.screenshot({ path: `${SHOTS}/desktop-chat-en.png` })

  await page.reload()
  await expect(page.getByRole('navigation', { name: 'Conversations' })).toBeVisible()
  await expect(page.getByLabel('Your message')).toBeVisible()
})

test.describe('on a phone (360 × 740)', () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })

  test('chat and search fit the screen', async ({ page }) => {
    await signUp(page, 'phone')
    const day = futureDay()
    const noSideways = async () =>
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)

    // The conversation list is behind the menu button.
    await expect(page.getByRole('navigation', { name: 'Conversas' })).toBeHidden()
    await page.getByLabel('Sua mensagem').fill(`quero ir de São Paulo para Lisboa em ${day.pt}, 2 adultos`)
    await page.getByRole('button', { name: 'Enviar' }).click()
    await expect(page.getByTestId('answer')).toContainText('Encontrei')
    const card = page.getByRole('article', { name: /^Opção 1: R\$/ })
    await card.scrollIntoViewIfNeeded()
    await expect(card).toBeInViewport()
    await noSideways()
    // The product's name is whole in the header, every button of a signed-in
    // traveller beside it, not cut to "ChatPassage…".
    const title = page.locator('.brand-title')
    await expect(title).toHaveText('ChatPassagens')
    expect(await title.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
    await page.screenshot({ path: `${SHOTS}/phone-chat.png` })

    await page.getByRole('button', { name: 'Abrir ou fechar o menu' }).click()
    const sidebar = page.getByRole('navigation', { name: 'Conversas' })
    await expect(sidebar.getByRole('link', { name: 'São Paulo → Lisboa' })).toBeVisible()
    await expect(sidebar.getByRole('link', { name: 'Nova conversa' })).toBeInViewport({ ratio: 1 })
    await page.screenshot({ path: `${SHOTS}/phone-sidebar.png` })
    await page.keyboard.press('Escape')

    // A suggestion chip starts a new conversation.
    await page.getByRole('link', { name: 'Nova conversa' }).click()
    await expect(page).toHaveURL(/\/$/)
    const chip = page.getByRole('group', { name: 'Sugestões' }).locator('.q-chip').first()
    const suggestion = (await chip.innerText()).trim()
    await chip.click()
    await expect(page.locator('.user-bubble')).toContainText(suggestion)
    await expect(page.getByTestId('answer')).not.toBeEmpty()
    await noSideways()

    await page.goto('/voos')
    await expect(page.getByRole('heading', { name: 'Buscar voos' })).toBeVisible()
    await noSideways()
    await page.screenshot({ path: `${SHOTS}/phone-search.png` })

    // The watch started in the chat, on the alerts page, and the bell's panel.
    await page.goto('/')
    await page.getByLabel('Sua mensagem').fill(`de Recife para Lisboa em ${day.pt}, me avisa se ficar abaixo de R$ 100.000`)
    await page.getByRole('button', { name: 'Enviar' }).click()
    await expect(page.getByTestId('answer').last()).toContainText('Pronto!')
    await page.getByRole('link', { name: 'Alertas' }).click()
    await expect(page.getByRole('heading', { name: 'Alertas de preço' })).toBeVisible()
    const watchCard = page.getByRole('article', { name: 'Alerta REC → LIS' })
    // The history gets the price just before the watch and its alert do.
    await expect(async () => {
      await page.reload()
      await expect(watchCard.getByTestId('price-chart')).toBeVisible({ timeout: 3000 })
      await expect(page.getByRole('button', { name: /^Notificações: 1 não lida/ })).toBeVisible({
        timeout: 3000,
      })
    }).toPass({ timeout: 30_000 })
    await noSideways()
    await page.screenshot({ path: `${SHOTS}/phone-watches.png`, fullPage: true })
    await page.getByRole('button', { name: /^Notificações: 1 não lida/ }).click()
    await expect(page.getByRole('dialog', { name: 'Notificações' })).toBeInViewport()
    await noSideways()
    await expect(page.locator('[class*="-enter-active"]')).toHaveCount(0)
    await page.screenshot({ path: `${SHOTS}/phone-notifications.png` })
  })
})
