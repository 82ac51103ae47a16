// Token exchange, refresh, revocation and user sign-in. Rate limits for exchange and
// sign-in are counted by the domain; the state it reports becomes RateLimit-* headers.
import { InvalidRequestError } from '../../domain/errors.ts'
import { created, ok, type OperationTable } from '../operation.ts'
import { rateLimitHeaders } from '../rate-limit-headers.ts'

export const authOperations: OperationTable = {
  exchangeToken: {
    async handle({ domain, body, address }) {
      const grant = await domain.exchangeApiKey({ apiKey: body.api_key, apiSecret: body.api_secret, address })
      return ok(grant.tokens, rateLimitHeaders(grant.rateLimit))
    },
  },
  refreshToken: {
    handle: async ({ domain, body }) => ok(await domain.refresh({ refreshToken: body.refresh_token })),
  },
  revokeToken: {
    async handle({ domain, body }) {
      await domain.revoke({ token: body.token })
      return ok({})
    },
  },
  signIn: {
    async handle({ domain, body, authorization, address }) {
      const { email, password } = body ?? basicCredentials(authorization)
      const grant = await domain.signIn({ email, password, address })
      return created(grant.tokens, rateLimitHeaders(grant.rateLimit))
    },
  },
}

/** `Authorization: Basic base64(email:password)` — the body-less form of sign-in. */
function basicCredentials(authorization: string | undefined): { email: string; password: string } {
  const match = /^basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(authorization ?? '')
  if (!match) {
    throw new InvalidRequestError('Sign in with a JSON body {email, password} or HTTP Basic credentials.', [
      { in: 'body', path: '', message: 'is required unless HTTP Basic credentials are sent' },
    ])
  }
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) {
    throw new InvalidRequestError('HTTP Basic credentials must be base64(email:password).', [
      { in: 'header', path: '/authorization', message: 'must be base64 of email:password' },
    ])
  }
  return { email: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}
