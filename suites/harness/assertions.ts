// Assertions every area needs, phrased once.
import { decodeJwt as joseDecodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose'
import { expect } from 'vitest'
import type { ApiResponse } from './client.ts'
import type { Problem, ProblemCode } from './contract-types.ts'

/**
 * The response is an RFC 9457 problem with this status and code (the body schema itself
 * is already checked on every call); every 401 also carries the contract's
 * WWW-Authenticate challenge (ERR-007). Under a profile whose error envelope cannot tell
 * some codes apart, the answer stands for each of them (response.problemCodes).
 */
export function expectProblem(response: ApiResponse<any>, status: number, code: ProblemCode): Problem {
  const context = `${status} ${code} expected, got ${response.status} ${response.text.slice(0, 300)}`
  expect(response.status, context).toBe(status)
  expect(response.headers['content-type'] ?? '', context).toMatch(/^application\/problem\+json/i)
  const problem = response.body as Problem
  const codes = response.problemCodes ?? [problem?.code]
  expect(codes, context).toContain(code)
  expect(problem.status, 'problem.status repeats the HTTP status').toBe(status)
  if (status === 401) {
    const challenge = response.headers['www-authenticate'] ?? ''
    expect(challenge, '401 must carry WWW-Authenticate: Bearer … error="invalid_token"').toMatch(/^Bearer\b/i)
    expect(challenge).toMatch(/error="invalid_token"/)
  }
  return problem
}

export interface DecodedJwt {
  header: ProtectedHeaderParameters
  payload: JWTPayload & { sid?: string }
}

/** Decodes (does not verify) a compact JWS; verification is DISC-002's job. */
export function decodeJwt(token: string): DecodedJwt {
  return { header: decodeProtectedHeader(token), payload: joseDecodeJwt(token) }
}
