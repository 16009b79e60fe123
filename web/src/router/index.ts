import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSession } from 'src/stores/session'

// Paths avoid the API's own (/chat, /search, /auth, /conversations,
// /airports, /watches, /notifications, /prices): the local server sends every other path to this app.
const routes: RouteRecordRaw[] = [
  {
    path: '/',
    component: () => import('src/layouts/MainLayout.vue'),
    children: [
      { path: '', name: 'new-chat', component: () => import('src/pages/ChatPage.vue'), meta: { auth: true } },
      { path: 'c/:id', name: 'chat', component: () => import('src/pages/ChatPage.vue'), meta: { auth: true }, props: true },
      { path: 'alertas', name: 'watches', component: () => import('src/pages/WatchesPage.vue'), meta: { auth: true } },
      { path: 'voos', name: 'search', component: () => import('src/pages/SearchPage.vue') },
      { path: 'entrar', name: 'login', component: () => import('src/pages/AuthPage.vue'), props: { mode: 'login' } },
      { path: 'cadastro', name: 'signup', component: () => import('src/pages/AuthPage.vue'), props: { mode: 'signup' } },
      { path: ':rest(.*)*', name: 'not-found', component: () => import('src/pages/NotFoundPage.vue') },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
})

router.beforeEach((to) => {
  const signedIn = useSession().signedIn
  if ((to.name === 'login' || to.name === 'signup') && signedIn) return { name: 'new-chat' }
  if (to.meta.auth && !signedIn) {
    return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } }
  }
  return true
})
