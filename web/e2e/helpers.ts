import { expect, type Page } from '@playwright/test'

export const SHOTS = 'test-results/screenshots'

/** A fresh traveller for each test: the server rate-limits per e-mail. */
export function newEmail(tag: string): string {
  return `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`
}

export const PASSWORD = 'correct horse battery staple'

export async function signUp(page: Page, tag: string): Promise<string> {
  const email = newEmail(tag)
  await page.goto('/cadastro')
  await page.getByLabel('E-mail').fill(email)
  await page.getByLabel('Senha').fill(PASSWORD)
  await page.getByRole('button', { name: 'Criar conta' }).click()
  await expect(page.getByRole('button', { name: 'Sair' })).toBeVisible()
  await expect(page).toHaveURL(/\/$/)
  await expect(page.getByLabel('Sua mensagem')).toBeVisible()
  return email
}

/** A date about three months ahead, as "10 de março" and as YYYY-MM-DD. */
export function futureDay(): { iso: string; pt: string; en: string } {
  const d = new Date()
  d.setDate(1)
  d.setMonth(d.getMonth() + 3)
  d.setDate(10)
  const months = ['janeiro', 'fevereiro', 'março', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro']
  const monthsEn = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
  const pad = (n: number) => String(n).padStart(2, '0')
  return {
    iso: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-10`,
    pt: `10 de ${months[d.getMonth()]}`,
    en: `${monthsEn[d.getMonth()]} 10`,
  }
}

/** `YYYY-MM-DD` as a Brazilian types it: `dd/mm/aaaa`. */
export const br = (iso: string): string => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`
