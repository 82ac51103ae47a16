/**
 * Addresses and whether they are RFC 5321 mailboxes (the contract's `format: email`), for
 * the tests of every validator that reads the format: openapi/formats.test.ts (the
 * function) and mock/http/email-format.int.test.ts (the mock's answers).
 */
export const MAILBOXES: [address: string, valid: boolean, why: string][] = [
  ['erin@example.test', true, 'a dotted domain'],
  ['dev@localhost', true, 'a single-label domain (RFC 5321 Domain is one or more sub-domains)'],
  ['ops@intranet', true, 'a single-label domain'],
  ['first.last@example.test', true, 'a dot-string local part'],
  ["o'brien+tag@example.test", true, "atext includes ' and +"],
  ['x@a-b.example', true, 'a hyphen inside a label'],
  ['x@1.2.example', true, 'labels may start with a digit'],
  ['"john doe"@example.test', true, 'a quoted local part may hold spaces'],
  ['"a@b"@example.test', true, 'a quoted local part may hold @'],
  ['"quote\\"inside"@example.test', true, 'a quoted-pair'],
  ['ops@[192.0.2.1]', true, 'an IPv4 address literal'],
  ['ops@[IPv6:2001:db8::1]', true, 'an IPv6 address literal'],
  ['not-an-email', false, 'no @'],
  ['@example.test', false, 'an empty local part'],
  ['alice@', false, 'an empty domain'],
  ['a b@example.test', false, 'a space outside quotes'],
  ['.alice@example.test', false, 'a dot-string cannot start with a dot'],
  ['alice.@example.test', false, 'a dot-string cannot end with a dot'],
  ['al..ice@example.test', false, 'two dots in a row'],
  ['alice@example..test', false, 'an empty label'],
  ['alice@-example.test', false, 'a label cannot start with a hyphen'],
  ['alice@example-.test', false, 'a label cannot end with a hyphen'],
  ['alice@example.test.', false, 'a trailing dot is no sub-domain'],
  ['alice@exa_mple.test', false, 'an underscore in a domain'],
  ['ops@[192.0.2.256]', false, 'not an IPv4 address'],
  ['ops@[2001:db8::1]', false, 'an IPv6 literal needs the IPv6: tag'],
  ['álvaro@example.test', false, 'non-ASCII is idn-email, not email'],
  ['"unclosed@example.test', false, 'an unterminated quoted string'],
]
