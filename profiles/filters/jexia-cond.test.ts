// The query as the vendor's SDK writes it: conditions built with its own `field()` API and
// compiled by its own code, then parsed here.
import { combineCriteria, field } from 'jexia-sdk-js'
import { describe, expect, it } from 'vitest'
import { JexiaQueryError, parseCond, parseRange, select } from './jexia-cond.ts'

type Criterion = ReturnType<ReturnType<typeof field>['isEqualTo']>
/** The `cond` text the SDK sends for a criterion (internal/query.ts: JSON of condition.compile()). */
const cond = (criterion: Criterion): string => JSON.stringify(criterion.condition.compile())

const orders = [
  { id: 'a', item: 'Coffee beans', total: 42.5, status: 'paid', tags: null },
  { id: 'b', item: 'Espresso machine', total: 180, status: 'shipped' },
  { id: 'c', item: 'Standing desk', total: 250, status: 'pending', tags: 'office' },
  { id: 'd', item: 'Notebook', total: '12', status: 'paid' },
]
const ids = (criterion: Criterion) => select(orders, { cond: cond(criterion) }).map((order) => order.id)

describe('cond as the SDK compiles it', () => {
  it.each<[string, Criterion, string[]]>([
    ['isEqualTo', field('status').isEqualTo('paid'), ['a', 'd']],
    ['isDifferentFrom', field('status').isDifferentFrom('paid'), ['b', 'c']],
    ['isGreaterThan (numbers only: "12" is a string)', field('total').isGreaterThan(10), ['a', 'b', 'c']],
    ['isEqualOrLessThan', field('total').isEqualOrLessThan(180), ['a', 'b']],
    ['isLessThan on strings', field('item').isLessThan('N'), ['a', 'b']],
    ['isEqualOrGreaterThan', field('total').isEqualOrGreaterThan(250), ['c']],
    ['isInArray', field('status').isInArray(['shipped', 'pending']), ['b', 'c']],
    ['isNotInArray', field('status').isNotInArray(['paid']), ['b', 'c']],
    ['isNull (a missing field is null too)', field('tags').isNull(), ['a', 'b', 'd']],
    ['isNotNull', field('tags').isNotNull(), ['c']],
    ['isLike with % and _', field('item').isLike('%ss_ machine'), ['b']],
    ['satisfiesRegex', field('item').satisfiesRegex('^[CN]o'), ['a', 'd']],
    ['isBetween (inclusive)', field('total').isBetween(42.5, 180), ['a', 'b']],
    ['and', field('status').isEqualTo('paid').and(field('total').isGreaterThan(40)), ['a']],
    ['or', field('status').isEqualTo('pending').or(field('total').isLessThan(50)), ['a', 'c']],
    ['"and" binds tighter than "or"', field('status').isEqualTo('shipped').or(field('status').isEqualTo('paid')).and(field('total').isGreaterThan(40)), ['a', 'b']],
    [
      'a nested group',
      field('total').isGreaterThan(40).and(combineCriteria(field('status').isEqualTo('paid').or(field('status').isEqualTo('pending')))),
      ['a', 'c'],
    ],
  ])('%s', (_name, criterion, expected) => {
    expect(ids(criterion)).toEqual(expected)
  })
})

describe('range', () => {
  it('takes offset, then limit, after the filter', () => {
    expect(select(orders, { range: '{"limit":2,"offset":1}' }).map((order) => order.id)).toEqual(['b', 'c'])
    expect(select(orders, { cond: cond(field('status').isEqualTo('paid')), range: '{"offset":1}' }).map((order) => order.id)).toEqual(['d'])
    expect(parseRange('{"limit":5}')).toEqual({ limit: 5, offset: 0 })
  })
})

describe('a query the SDK cannot have written', () => {
  it.each([
    ['not JSON', () => parseCond('[{'), 'cond is not JSON'],
    ['not an array', () => parseCond('{"field":"a"}'), 'cond is a non-empty JSON array'],
    ['a short condition', () => parseCond('[{"field":"a"},"="]'), 'a condition is {"field": NAME}, OPERATOR, VALUE'],
    ['an unknown operator', () => parseCond('[{"field":"a"},"~",1]'), 'unknown operator "~"'],
    ['no field object', () => parseCond('["a","=",1]'), 'expected {"field": NAME}, found "a"'],
    ['a bad joint', () => parseCond('[{"field":"a"},"=",1,"xor",{"field":"b"},"=",2]'), 'expected "and" or "or", found "xor"'],
    ['a dangling joint', () => parseCond('[{"field":"a"},"=",1,"and"]'), '"and" ends the condition'],
    ['in without an array', () => parseCond('[{"field":"a"},"in",1]'), '"in" takes an array of values'],
    ['a bad regex', () => parseCond('[{"field":"a"},"regex","("]'), '"regex" value "(" is no regular expression'],
    ['a negative offset', () => parseRange('{"offset":-1}'), 'range.offset is a non-negative integer'],
    ['an unknown range member', () => parseRange('{"page":1}'), 'range has no member "page"'],
  ])('%s: one sentence', (_name, run, message) => {
    expect(run).toThrow(new JexiaQueryError(message))
  })
})
