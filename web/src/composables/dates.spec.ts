import { describe, expect, it } from 'vitest'
import { dateOrder, readDate, showDate } from './dates'

describe('dates in the interface language', () => {
  it('puts the day first in Portuguese and the month first in American English', () => {
    expect(dateOrder('pt-BR')).toBe('dmy')
    expect(dateOrder('en')).toBe('mdy')
    expect(showDate('2027-03-10', 'dmy')).toBe('10/03/2027')
    expect(showDate('2027-03-10', 'mdy')).toBe('03/10/2027')
    expect(showDate('', 'dmy')).toBe('')
  })

  it('reads a typed date back in the same order, and refuses days that do not exist', () => {
    expect(readDate('10/03/2027', 'dmy')).toBe('2027-03-10')
    expect(readDate('03/10/2027', 'mdy')).toBe('2027-03-10')
    expect(readDate('1/3/2027', 'dmy')).toBe('2027-03-01')
    expect(readDate('31/02/2027', 'dmy')).toBeNull()
    expect(readDate('13/13/2027', 'mdy')).toBeNull()
    expect(readDate('10/03/27', 'dmy')).toBeNull()
    expect(readDate('amanhã', 'dmy')).toBeNull()
  })
})
