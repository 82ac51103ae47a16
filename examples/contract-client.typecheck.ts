// Not an example: proof that the types of `authconform/contract` are strict. Each line
// below is a mistake the compiler must report; were the types `any`, the @ts-expect-error
// directives would be unused and `tsc -p examples` would fail
// (examples/contract-client.int.test.ts).
import createClient from 'openapi-fetch'
import type { components, paths } from 'authconform/contract'

const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:4010' })

export async function mistakes(): Promise<void> {
  // @ts-expect-error a path the contract does not have
  await client.GET('/v1/kittens')
  // @ts-expect-error a method the path does not have
  await client.PATCH('/v1/keys')
  // @ts-expect-error a sign-in without its password
  await client.POST('/v1/sessions', { body: { email: 'alice@example.test' } })
  // @ts-expect-error a path parameter missing
  await client.GET('/v1/keys/{id}', { params: { path: {} } })
  const { data } = await client.GET('/v1/keys')
  // @ts-expect-error keys are listed without their secret
  console.log(data?.items[0]?.secret)
  // @ts-expect-error not a problem code of the contract
  const code: components['schemas']['ProblemCode'] = 'teapot'
  console.log(code)
}
