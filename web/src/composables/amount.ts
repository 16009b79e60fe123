/**
 * An amount typed in either convention ("3000", "3.000", "3.000,50",
 * "3,000.50", "R$ 3.000") as decimal text for the API, or null when it is
 * not a positive amount.
 */
export function readAmount(text: string): string | null {
  let s = text.replace(/[^\d.,]/g, '')
  if (!/\d/.test(s)) return null
  const marks = [',', '.'].filter((c) => s.includes(c))
  if (marks.length === 2) {
    // Both: the last one is the decimal mark, the other groups thousands.
    const decimal = s.lastIndexOf(',') > s.lastIndexOf('.') ? ',' : '.'
    s = s.replaceAll(decimal === ',' ? '.' : ',', '').replace(decimal, '.')
  } else if (marks.length === 1) {
    // One kind: repeated, or followed by exactly three digits, it groups thousands.
    const parts = s.split(marks[0]!)
    s = parts.length > 2 || parts[1]!.length === 3 ? parts.join('') : parts.join('.')
  }
  const n = Number(s)
  if (!Number.isFinite(n) || n <= 0) return null
  return String(Number(n.toFixed(2)))
}
