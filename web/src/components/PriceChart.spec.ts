import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { Quasar } from 'quasar'
import { createI18n } from 'vue-i18n'
import messages from 'src/i18n'
import PriceChart, { type ChartPoint } from './PriceChart.vue'

function render(points: ChartPoint[], extra: { target?: number; locale?: 'pt-BR' | 'en' } = {}) {
  const i18n = createI18n({ legacy: false, locale: extra.locale ?? 'pt-BR', messages })
  return mount(PriceChart, {
    props: { points, currency: 'BRL', caption: 'Histórico', target: extra.target ?? null },
    global: { plugins: [Quasar, i18n] },
  })
}

const text = (w: ReturnType<typeof render>) => w.text().replace(/\s+/g, ' ')

// Given out of order: the chart sorts by time.
const falling: ChartPoint[] = [
  { at: '2026-11-22T12:00:00Z', value: 2500 },
  { at: '2026-11-20T12:00:00Z', value: 3000 },
  { at: '2026-11-24T12:00:00Z', value: 2000 },
]

describe('PriceChart', () => {
  it('draws a falling price as a line going down, left to right in time', () => {
    const w = render(falling)
    const coords = w
      .find('polyline')
      .attributes('points')!
      .split(' ')
      .map((p) => p.split(',').map(Number) as [number, number])
    expect(coords).toHaveLength(3)
    // x grows with time; y grows downwards on screen as the price falls.
    expect(coords[0]![0]).toBeLessThan(coords[1]![0])
    expect(coords[1]![0]).toBeLessThan(coords[2]![0])
    expect(coords[0]![1]).toBeLessThan(coords[1]![1])
    expect(coords[1]![1]).toBeLessThan(coords[2]![1])
  })

  it('says what the line shows in words, and lists every price in a table', () => {
    const w = render(falling)
    expect(text(w)).toMatch(/3 preços de .+: menor R\$\s2\.000,00, maior R\$\s3\.000,00, último R\$\s2\.000,00\./)
    const svg = w.find('svg')
    expect(svg.attributes('role')).toBe('img')
    expect(w.find(`#${svg.attributes('aria-labelledby')}`).text()).toContain('3 preços')
    const cells = w.findAll('tbody tr').map((r) => r.findAll('td')[1]!.text().replace(/\s/g, ' '))
    expect(cells).toEqual(['R$ 3.000,00', 'R$ 2.500,00', 'R$ 2.000,00'])
  })

  it('draws a near target as a dashed line and leaves a far one to the words', () => {
    expect(render(falling, { target: 2200 }).find('line.target').exists()).toBe(true)
    const far = render(falling, { target: 100000 })
    expect(far.find('line.target').exists()).toBe(false)
    expect(text(far)).toMatch(/Meta: R\$\s100\.000,00/)
  })

  it('shows a single price as a dot, in English when asked', () => {
    const w = render([{ at: '2026-11-30T16:00:00Z', value: 1704.71 }], { locale: 'en' })
    expect(w.find('polyline').exists()).toBe(false)
    expect(w.findAll('line.dot')).toHaveLength(1)
    expect(text(w)).toMatch(/One price so far: R\$\s?1,704\.71/)
    expect(text(w)).toContain('Show the prices as a table')
  })

  it('draws nothing without prices', () => {
    expect(render([]).find('figure').exists()).toBe(false)
  })
})
