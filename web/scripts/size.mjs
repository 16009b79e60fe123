// The JavaScript a first visit downloads before the first screen shows,
// gzipped: the entry chunk, the layout and the chat page (the landing route),
// with every chunk they import statically. Fails above the 250 kB budget.
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist')
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'))
const BUDGET = 250 * 1024

const roots = ['index.html', 'src/layouts/MainLayout.vue', 'src/pages/ChatPage.vue']
const files = new Set()
const visit = (key) => {
  const chunk = manifest[key]
  if (!chunk || files.has(chunk.file)) return
  files.add(chunk.file)
  for (const dep of chunk.imports ?? []) visit(dep)
}
roots.forEach(visit)

let raw = 0
let gz = 0
for (const file of files) {
  const bytes = readFileSync(join(dist, file))
  raw += bytes.length
  gz += gzipSync(bytes, { level: 9 }).length
}
const kb = (n) => (n / 1024).toFixed(1)
console.log(`first screen JS: ${files.size} files, ${kb(raw)} kB, ${kb(gz)} kB gzipped (budget ${kb(BUDGET)} kB)`)
if (gz > BUDGET) {
  console.error('over budget')
  process.exit(1)
}
