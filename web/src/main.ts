import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { Quasar, Dark, Notify, Dialog, Lang } from 'quasar'
import iconSet from 'quasar/icon-set/svg-material-icons'
import langPtBR from 'quasar/lang/pt-BR'
import 'quasar/dist/quasar.css'
import './css/app.css'

import App from './App.vue'
import { router } from './router'
import { i18n, rememberLocale } from './boot/i18n'
import { bootApi } from './boot/api'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(Quasar, {
  plugins: { Notify, Dialog, Dark },
  iconSet,
  lang: langPtBR,
  config: { dark: 'auto' },
})
app.use(i18n)
rememberLocale(i18n.global.locale.value)
bootApi(pinia)
app.use(router)
app.mount('#app')
if (i18n.global.locale.value === 'en') {
  void import('quasar/lang/en-US').then((m) => Lang.set(m.default as Parameters<typeof Lang.set>[0]))
}
