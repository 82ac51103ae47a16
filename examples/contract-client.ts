import createClient from 'openapi-fetch'
import type { components, paths } from 'authconform/contract'

type Problem = components['schemas']['Problem']

// `npx authconform mock` serves http://127.0.0.1:4010 with the fixture users of
// fixtures/default.yaml (public development credentials).
const client = createClient<paths>({ baseUrl: process.env.AUTHCONFORM_URL ?? 'http://127.0.0.1:4010' })

const signIn = await client.POST('/v1/sessions', { body: { email: 'alice@example.test', password: 'alice-dev-password' } })
if (signIn.error) throw new Error(`sign-in failed: ${describe(signIn.error)}`)
client.use({
  onRequest: ({ request }) => {
    request.headers.set('authorization', `Bearer ${signIn.data.access_token}`)
  },
})

const orders = { params: { path: { name: 'orders' } } } as const
const created = await client.POST('/v1/datasets/{name}/records', { ...orders, body: { item: 'Green tea', quantity: 3, total: 12.5 } })
if (created.error) throw new Error(`create failed: ${describe(created.error)}`)
console.log(`created ${created.data.id}, owned by ${created.data.owner}`)

const page = await client.GET('/v1/datasets/{name}/records', { params: { ...orders.params, query: { limit: 100 } } })
if (page.error) throw new Error(`list failed: ${describe(page.error)}`)
console.log(`alice reads ${page.data.items.length} orders`)

// Errors are typed as well: problem+json with a `code` to branch on.
const other = await client.DELETE('/v1/datasets/{name}/records/{id}', { params: { path: { name: 'orders', id: 'rec_bobOrder100000000000' } } })
if (other.error?.code === 'forbidden' || other.error?.code === 'not_found') console.log(`bob's order stays: ${other.response.status} ${other.error.code}`)

function describe(problem: Problem): string {
  return `${problem.status} ${problem.code}: ${problem.detail}`
}
