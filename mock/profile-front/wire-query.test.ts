import { describe, expect, it } from 'vitest'
import type { HttpAnswer, HttpRequest } from '../../profiles/translate/message.ts'
import { answerWireQuery } from './wire-query.ts'

const rows = Array.from({ length: 2500 }, (_, index) => ({ id: `rec_${index}`, total: index }))

/** The contract's list, paged by cursor as the contract app pages it; records every request. */
function contractList(status = 200) {
  const asked: Record<string, string>[] = []
  const contract = async (request: HttpRequest): Promise<HttpAnswer> => {
    asked.push(request.query)
    if (status !== 200) return { status, headers: { 'content-type': 'application/problem+json' }, body: { kind: 'json', value: { code: 'forbidden' } } }
    const from = Number(request.query.cursor ?? 0)
    const limit = Number(request.query.limit)
    const items = rows.slice(from, from + limit)
    const next = from + limit < rows.length ? String(from + limit) : null
    return { status: 200, headers: { 'content-type': 'application/json' }, body: { kind: 'json', value: { items, next_cursor: next } } }
  }
  return { contract, asked }
}

const wire = (query: Record<string, string>): HttpRequest => ({ method: 'GET', path: '/ds/orders', query, headers: {}, body: { kind: 'none' } })
const translated: HttpRequest = { method: 'GET', path: '/v1/datasets/orders/records', query: { limit: '5' }, headers: {}, body: { kind: 'none' } }

describe('a wire query on the contract\'s list', () => {
  it('reads every page of the contract\'s answer, then selects: filter, offset, limit', async () => {
    const { contract, asked } = contractList()
    const answer = await answerWireQuery('jexia', wire({ cond: '[{"field":"total"},">=",2490]', range: '{"limit":3,"offset":1}' }), translated, contract)
    expect(asked).toEqual([{ limit: '1000' }, { limit: '1000', cursor: '1000' }, { limit: '1000', cursor: '2000' }])
    expect(answer).toMatchObject({ kind: 'answer', answer: { status: 200, body: { kind: 'json', value: { items: [{ total: 2491 }, { total: 2492 }, { total: 2493 }], next_cursor: null } } } })
  })

  it('without a query answers every record the contract answers', async () => {
    const { contract } = contractList()
    const answer = await answerWireQuery('jexia', wire({}), translated, contract)
    const body = answer.kind === 'answer' ? answer.answer.body : undefined
    expect(body?.kind === 'json' && (body.value as { items: unknown[] }).items).toHaveLength(2500)
  })

  it('all (a list without paging): every record of every page, whatever the query string says', async () => {
    const { contract } = contractList()
    const answer = await answerWireQuery('all', wire({ cond: '[{"field":"total"},"=",1]' }), translated, contract)
    const body = answer.kind === 'answer' ? answer.answer.body : undefined
    expect(body?.kind === 'json' && (body.value as { items: unknown[] }).items).toHaveLength(2500)
  })

  it('passes a refusal of the contract on as it came', async () => {
    const { contract } = contractList(403)
    expect(await answerWireQuery('jexia', wire({ cond: '[{"field":"total"},"=",1]' }), translated, contract)).toMatchObject({ kind: 'answer', answer: { status: 403 } })
  })

  it('names what is wrong with a query the syntax refuses', async () => {
    const { contract } = contractList()
    expect(await answerWireQuery('jexia', wire({ cond: '[{"field":"total"},"~",1]' }), translated, contract)).toEqual({ kind: 'invalid', reason: 'unknown operator "~"' })
  })
})
