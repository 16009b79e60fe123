import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { Quasar, Dark, Notify, Dialog } from 'quasar'
import iconSet from 'quasar/icon-set/svg-material-icons'
import langPtBR from 'quasar/lang/pt-BR'
import 'quasar/dist/quasar.css'
import './css/app.css'

import App from './App.vue'
import { router } from './router'
import { i18n, rememberLocale } from './boot/i18n'
import { bootApi } from './boot/api'
import { setQuasarLang } from './composables/useLocale'

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
setQuasarLang(i18n.global.locale.value)
