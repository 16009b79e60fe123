import { describe, expect, it } from 'vitest'
import { readAmount } from './amount'

describe('a target price typed by a traveller', () => {
  it('reads Brazilian and English writing alike', () => {
    expect(readAmount('3000')).toBe('3000')
    expect(readAmount('R$ 3.000')).toBe('3000')
    expect(readAmount('3.000,50')).toBe('3000.5')
    expect(readAmount('3,000.50')).toBe('3000.5')
    expect(readAmount('2500,5')).toBe('2500.5')
    expect(readAmount('1.234.567')).toBe('1234567')
  })

  it('refuses what is not a positive amount', () => {
    expect(readAmount('')).toBeNull()
    expect(readAmount('abc')).toBeNull()
    expect(readAmount('0')).toBeNull()
    expect(readAmount('-')).toBeNull()
  })
})
