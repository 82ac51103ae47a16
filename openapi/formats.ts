/**
 * The JSON Schema formats of the contract, read one way by every validator in this
 * repository — the mock's request validation, the fixtures, the suites' response check and
 * the fuzzer's oracle: ajv-formats' formats, except `email`.
 *
 * JSON Schema defines `email` as RFC 5321's Mailbox (2020-12 validation §7.3.2), and so
 * does the contract (UserCreate). ajv-formats reads it more narrowly: it wants a dot in the
 * domain and refuses `dev@localhost`, a single-label domain that the RFC allows and local
 * development uses. Here is the RFC's grammar instead (§4.1.2, §4.1.3): a dot-string or
 * quoted local part, then a domain of letter-digit-hyphen labels (one label is enough) or
 * an IPv4 or IPv6 address literal. Only ASCII: internationalised addresses are JSON
 * Schema's `idn-email`, which the contract does not use.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Ajv as AjvCore } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: AjvCore) => AjvCore;

/** atext (RFC 5322 §3.2.3): letters, digits and these: ! # $ % & ' * + - / = ? ^ _ ` { | } ~ */
const ATOM = "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~]+";
/** qtextSMTP (%d32-33 / %d35-91 / %d93-126) or quoted-pairSMTP (a backslash, then %d32-126). */
const QUOTED = '"(?:[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\x20-\\x7e])*"';
/** sub-domain: Let-dig [Ldh-str] — starts and ends with a letter or digit. */
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';

const LOCAL_PART = new RegExp(`^(?:${ATOM}(?:\\.${ATOM})*|${QUOTED})$`);
const DOMAIN = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

/** Whether `text` is an RFC 5321 Mailbox: what `format: email` means in the contract. */
export function isMailbox(text: string): boolean {
  const at = text.lastIndexOf('@');
  if (at < 1) return false;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  return LOCAL_PART.test(local) && (DOMAIN.test(domain) || isAddressLiteral(domain));
}

/** "[192.0.2.1]" or "[IPv6:2001:db8::1]" (RFC 5321 §4.1.3). */
function isAddressLiteral(domain: string): boolean {
  if (!domain.startsWith('[') || !domain.endsWith(']')) return false;
  const literal = domain.slice(1, -1);
  // Snum is 1 to 3 digits: no leading zeros beyond that, which isIPv4 also refuses.
  if (isIPv4(literal)) return true;
  return /^IPv6:/i.test(literal) && isIPv6(literal.slice('IPv6:'.length));
}

/** ajv-formats' formats, with `email` as the contract reads it. */
export function addContractFormats<A extends AjvCore>(ajv: A): A {
  addFormats(ajv);
  ajv.addFormat('email', isMailbox);
  return ajv;
}
