/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Base URL of the HTTP API (auth, search, history); empty: same origin. */
  readonly VITE_API_BASE?: string
  /** Base URL of the chat function (the stack's `ChatUrl`, its streaming Function URL); empty: VITE_API_BASE. */
  readonly VITE_CHAT_URL?: string
}

interface ImportMeta {
  readonly env: ImportMetaEnv
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
