import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { Quasar } from 'quasar'
import { createI18n } from 'vue-i18n'
import messages from 'src/i18n'
import record from 'src/__fixtures__/search-record.json'
import type { Offer } from 'src/api'
import OfferCard from './OfferCard.vue'

function render(offer: Offer, locale: 'pt-BR' | 'en' = 'pt-BR') {
  const i18n = createI18n({ legacy: false, locale, messages })
  return mount(OfferCard, {
    props: { offer, passengers: { adults: 2, children: 0, infants: 0 }, index: 0 },
    global: { plugins: [Quasar, i18n] },
  })
}

const [nonstop, connecting] = record.offers as Offer[]

describe('OfferCard', () => {
  it('shows the airline, times, duration, stops, price per person and total, fare and bags', () => {
    const text = render(nonstop!).text().replace(/\s+/g, ' ')
    expect(text).toContain('TAP Air Portugal')
    expect(text).toContain('Economy Classic')
    expect(text).toContain('18:30')
    expect(text).toContain('07:50')
    expect(text).toContain('+1 dia')
    expect(text).toContain('10 h 20 min')
    expect(text).toContain('Direto')
    expect(text).toMatch(/R\$\s?4\.703,23/)
    expect(text).toMatch(/R\$\s?2\.352 por pessoa/)
    expect(text).toContain('2 passageiros')
    expect(text).toContain('1 bagagem de mão')
    expect(text).toContain('1 mala despachada')
  })

  it('names the layover airport and how long it lasts', () => {
    const slice = connecting!.slices[0]!
    const text = render(connecting!).text()
    expect(slice.stops).toBe(1)
    expect(text).toContain('1 parada')
    expect(text).toMatch(new RegExp(`Conexão em ${slice.segments[0]!.destination}: \\d+ h \\d+ min`))
  })

  it('speaks English when asked', () => {
    const text = render(nonstop!, 'en').text()
    expect(text).toContain('Nonstop')
    expect(text).toContain('per person')
    expect(text).toContain('1 checked bag')
  })
})
