import { describe, expect, it } from 'vitest'
import { renderMarkdown } from './markdown'

describe('renderMarkdown', () => {
  it('renders the assistant’s lists and emphasis', () => {
    const html = renderMarkdown('As melhores:\n1. **TP** 18:30 · direto\n2. AT 07:05')
    expect(html).toContain('<ol>')
    expect(html).toContain('<strong>TP</strong>')
  })

  it('escapes HTML in the text instead of running it', () => {
    const html = renderMarkdown('<img src=x onerror="alert(1)"><script>alert(2)</script>')
    expect(html).not.toContain('<img')
    expect(html).not.toContain('<script')
    expect(html).toContain('&lt;script&gt;')
  })

  it('refuses javascript: links and opens others without access to the page', () => {
    expect(renderMarkdown('[x](javascript:alert(1))')).not.toContain('href="javascript:')
    const html = renderMarkdown('[TAP](https://www.flytap.com)')
    expect(html).toContain('rel="noopener noreferrer nofollow"')
    expect(html).toContain('target="_blank"')
  })
})
