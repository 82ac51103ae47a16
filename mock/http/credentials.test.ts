import { describe, expect, it } from 'vitest'
import { credentialFrom } from './credentials.ts'

const TOKEN = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln'

describe('credentialFrom', () => {
  // The plain form takes a shortcut; every other spelling goes through the general reading,
  // and both must give the same answers.
  it.each<[string, string]>([
    ['the plain form', `Bearer ${TOKEN}`],
    ['a lower-case scheme', `bearer ${TOKEN}`],
    ['an upper-case scheme', `BEARER ${TOKEN}`],
    ['surrounding whitespace', `  Bearer ${TOKEN}\t`],
    ['several spaces between', `Bearer    ${TOKEN}`],
    ['a tab between', `Bearer\t${TOKEN}`],
  ])('reads a Bearer token: %s', (_name, header) => {
    expect(credentialFrom(header)).toEqual({ scheme: 'bearer', token: TOKEN })
  })

  it('reads an ApiKey credential, a colon in the secret included', () => {
    expect(credentialFrom('ApiKey key_1:sk_a:b')).toEqual({ scheme: 'apikey', keyId: 'key_1', secret: 'sk_a:b' })
  })

  it.each<[string, string | undefined, RegExp]>([
    ['no header', undefined, /carries no credentials/],
    ['an empty header', '   ', /carries no credentials/],
    ['a Bearer without a token', 'Bearer', /malformed/],
    ['a Bearer with two tokens', `Bearer ${TOKEN} more`, /malformed/],
    ['a token with a non-breaking space inside', `Bearer ab\u00a0cd`, /malformed/],
    ['an ApiKey without a colon', 'ApiKey key_1', /<key_id>:<secret>/],
    ['another scheme', 'Basic dXNlcjpwYXNz', /not supported/],
  ])('refuses %s with invalid_token', (_name, header, message) => {
    expect(() => credentialFrom(header)).toThrow(message)
    try {
      credentialFrom(header)
    } catch (error) {
      expect((error as { code?: string }).code).toBe('invalid_token')
    }
  })
})
