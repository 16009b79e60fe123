import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import { Quasar } from 'quasar'
import { createI18n } from 'vue-i18n'
import messages from 'src/i18n'
import DateInput from './DateInput.vue'

function render(modelValue: string) {
  const i18n = createI18n({ legacy: false, locale: 'pt-BR', messages })
  const w = mount(DateInput, {
    props: { modelValue, label: 'Ida', 'onUpdate:modelValue': (v: string) => w.setProps({ modelValue: v }) },
    global: { plugins: [Quasar, i18n] },
  })
  return { w, i18n }
}

describe('DateInput', () => {
  it('shows the ISO model as dd/mm/aaaa, and as mm/dd/yyyy in English', async () => {
    const { w, i18n } = render('2027-03-10')
    expect(w.get('input').element.value).toBe('10/03/2027')
    expect(w.text()).toContain('dd/mm/aaaa')
    i18n.global.locale.value = 'en'
    await nextTick()
    expect(w.get('input').element.value).toBe('03/10/2027')
    expect(w.text()).toContain('mm/dd/yyyy')
  })

  it('sends a typed date as ISO, and clears the model for a day that does not exist', async () => {
    const { w } = render('2027-03-10')
    await w.get('input').setValue('15/04/2027')
    expect(w.emitted('update:modelValue')!.at(-1)).toEqual(['2027-04-15'])
    await w.get('input').setValue('31/02/2027')
    expect(w.emitted('update:modelValue')!.at(-1)).toEqual([''])
    // What the traveller typed stays, with the reason, instead of the old date.
    expect(w.get('input').element.value).toBe('31/02/2027')
    await w.get('input').trigger('focusin')
    await w.get('input').trigger('focusout')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(w.text()).toContain('Data inválida; use dd/mm/aaaa')
  })
})
