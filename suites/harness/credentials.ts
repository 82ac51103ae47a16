// How a case says who it is. One shape per scheme of the contract's security schemes.
export type Credential =
  | { bearer: string }
  | { apiKey: { id: string; secret: string } }
  | { basic: { email: string; password: string } }
  | 'anonymous'

export function authorizationHeader(credential: Credential): string | undefined {
  if (credential === 'anonymous') return undefined
  if ('bearer' in credential) return `Bearer ${credential.bearer}`
  if ('apiKey' in credential) return `ApiKey ${credential.apiKey.id}:${credential.apiKey.secret}`
  const { email, password } = credential.basic
  return `Basic ${Buffer.from(`${email}:${password}`, 'utf8').toString('base64')}`
}
