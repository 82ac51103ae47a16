import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { contract } from './contract.ts';
import { addContractFormats, isMailbox } from './formats.ts';
import { MAILBOXES } from './mailbox-table.ts';

describe('isMailbox (format: email, RFC 5321 Mailbox)', () => {
  it.each(MAILBOXES)('%s → %s (%s)', (address, valid) => {
    expect(isMailbox(address)).toBe(valid);
  });
});

describe('the contract reads format: email as that', () => {
  const ajv = addContractFormats(new Ajv2020({ strict: false, allErrors: true }));
  ajv.addSchema({ $id: 'urn:authconform:bundle', components: contract.components });

  it.each(['UserCreate', 'UserPatch'])('%s accepts a single-label domain and refuses what is no mailbox', (schema) => {
    const validate = ajv.compile({ $ref: `urn:authconform:bundle#/components/schemas/${schema}` });
    const body = (email: string) => (schema === 'UserCreate' ? { email, password: 'long-enough-password' } : { email });
    expect(validate(body('dev@localhost'))).toBe(true);
    expect(validate(body('dev@'))).toBe(false);
  });

  it('the email fields state format email and its reading, and no narrower pattern', () => {
    for (const schema of ['UserCreate', 'UserPatch', 'User']) {
      const email = (contract.components.schemas[schema] as { properties: Record<string, Record<string, unknown>> }).properties.email!;
      expect(email, schema).toMatchObject({ type: 'string', format: 'email' });
      expect(email.pattern, schema).toBeUndefined();
      expect(String(email.description), schema).toContain('dev@localhost');
    }
  });
});
