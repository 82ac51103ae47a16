// Every operation of the contract has exactly one handler, and the route table read from
// the bundle carries what the HTTP layer relies on.
import { describe, expect, it } from 'vitest'
import { operations } from '../../openapi/contract.ts'
import { createClock } from '../clock.ts'
import { controlOperations } from '../control/control-operations.ts'
import { FaultTable } from '../control/fault-table.ts'
import { createJournal } from '../control/journal.ts'
import { longestPathParameter, routesFromContract } from './openapi-routes.ts'
import { apiOperations } from './operations/index.ts'

const clock = createClock()
const routes = routesFromContract()
const control = controlOperations({ clock, journal: createJournal(clock), faults: new FaultTable(routes) })
const handled = [...Object.keys(apiOperations), ...Object.keys(control)]

describe('the operation tables', () => {
  it('cover every contract operation exactly once', () => {
    expect([...handled].sort()).toEqual(operations().map((operation) => operation.operationId).sort())
  })

  it('mark admin-only operations', () => {
    const adminOnly = Object.entries(apiOperations)
      .filter(([, operation]) => operation?.adminOnly)
      .map(([id]) => id)
    expect(adminOnly).toEqual(expect.arrayContaining(['createKey', 'listUsers', 'createPolicy', 'createDataset', 'checkPermission']))
    expect(adminOnly).not.toEqual(expect.arrayContaining(['listRecords']))
    expect(adminOnly).not.toContain('getMyPermissions')
  })
})

describe.each([
  ['exchangeToken', { authenticated: false, noStore: true, rateLimited: true }],
  ['signIn', { authenticated: false, noStore: true, rateLimited: true }],
  ['createKey', { authenticated: true, noStore: true, rateLimited: false }],
  ['rotateKey', { authenticated: true, noStore: true, rateLimited: false }],
  ['listUsers', { authenticated: true, noStore: false, rateLimited: false }],
  ['listRecords', { authenticated: true, noStore: false, rateLimited: true }],
  ['deleteRecord', { authenticated: true, noStore: false, rateLimited: true }],
  ['getAuthConfiguration', { authenticated: false, noStore: false, rateLimited: false }],
  ['advanceControlClock', { authenticated: false, noStore: false, rateLimited: false, feature: 'test_control', optionalBody: null }],
  ['resetControlState', { optionalBody: expect.objectContaining({ type: 'object', additionalProperties: false }) }],
  ['signIn', { optionalBody: expect.objectContaining({ type: 'object' }) }],
  ['deleteKey', { bodyTypes: [], optionalBody: null }],
])('route %s', (operationId, expected) => {
  it('is read from the bundle as expected', () => {
    expect(routes.find((route) => route.operationId === operationId)).toMatchObject(expected)
  })
})

it('route schemas keep additionalProperties: false and resolve every $ref', () => {
  const token = routes.find((route) => route.operationId === 'exchangeToken')!
  expect(token.schema.body).toMatchObject({ additionalProperties: false, required: ['api_key', 'api_secret'] })
  expect(JSON.stringify(routes.map((route) => route.schema))).not.toContain('$ref')
  expect(routes.find((route) => route.operationId === 'getRecord')?.url).toBe('/v1/datasets/:name/records/:id')
})

it('the longest path parameter is the contract bound the router must admit', () => {
  expect(longestPathParameter(routes)).toBe(128)
})
