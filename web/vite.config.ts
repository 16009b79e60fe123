/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { quasar, transformAssetUrls } from '@quasar/vite-plugin'
import { fileURLToPath } from 'node:url'

// The API's base URLs are build-time settings (see README): empty means the
// same origin, as when `chatpassagens serve` serves this build.
export default defineConfig({
  plugins: [vue({ template: { transformAssetUrls } }), quasar()],
  resolve: { alias: { src: fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    manifest: true,
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
  server: {
    // `npm run dev` talks to a local `chatpassagens serve` on :3000.
    proxy: Object.fromEntries(
      ['/auth', '/chat', '/conversations', '/search', '/airports', '/watches', '/notifications', '/prices'].map((p) => [
        p,
        { target: process.env.API_PROXY ?? 'http://127.0.0.1:3000', changeOrigin: true },
      ]),
    ),
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.spec.ts'],
    server: { deps: { inline: ['quasar'] } },
  },
})
