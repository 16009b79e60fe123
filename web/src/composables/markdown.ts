// Markdown for the assistant's answers. Raw HTML is off, so any tag in the
// text is escaped; markdown-it's link validation refuses javascript: and
// data: URLs; links open in a new tab without access to this one.
import MarkdownIt from 'markdown-it'

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false })

const defaultLinkOpen =
  md.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options))

md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!
  token.attrSet('target', '_blank')
  token.attrSet('rel', 'noopener noreferrer nofollow')
  return defaultLinkOpen(tokens, idx, options, env, self)
}

/** Safe HTML for a piece of assistant text. */
export function renderMarkdown(text: string): string {
  return md.render(text)
}
