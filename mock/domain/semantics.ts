/**
 * Semantic options: the behaviours in which the five systems behind the contract differ from
 * it, beyond their wire formats. Each option is a closed set of values whose first value is
 * the contract's own behaviour and the default, so a domain created without semantics is the
 * contract exactly. A profile names the values of its system (its `semantics:` block mirrors
 * this table); the domain consults them, and the suites consult them to decide which
 * requirements apply.
 */

export interface SemanticValue {
  /** What the domain does under this value, in one or two sentences. */
  readonly means: string
  /** The system(s) of the seed documents that behave this way. */
  readonly seen: string
}

export interface SemanticOption {
  /** What the option decides. */
  readonly about: string
  /** The values, the contract's own first. */
  readonly values: Readonly<Record<string, SemanticValue>>
}

/** The options, their values and what each means. The first value of each is the default. */
export const SEMANTIC_OPTIONS = {
  refresh: {
    about: 'What a refresh token is and what presenting it gives.',
    values: {
      rotate: {
        means:
          'Every exchange and sign-in issues a single-use refresh token; refreshing answers a new access token and a new ' +
          'refresh token, the presented one is dead, and presenting a dead one ends the session (reuse detection).',
        seen: 'the contract; Jexia (its SDK stores the refresh token of every refresh answer); Dxtra (Hasura Auth)',
      },
      access_only: {
        means:
          'Refreshing answers a new access token only; the refresh token stays valid, and reusable, until its own expiry.',
        seen: 'Machinable (POST /sessions/refresh answers {access_token})',
      },
      none: {
        means:
          'No refresh token is issued: a session lives as long as its access token, and a client exchanges its key again. ' +
          'Refreshing is refused as an unknown token.',
        seen: 'ekoDB (POST /api/auth/token again); the datasets platform (private tokens are not refreshed)',
      },
    },
  },
  key_secret: {
    about: 'What a client presents to exchange an API key for tokens.',
    values: {
      required: {
        means: 'The key id and its secret.',
        seen: 'the contract; Jexia (key + secret)',
      },
      none: {
        means:
          'One string only, the key itself: the credential created (and shown once) with the key, stored one-way hashed, by ' +
          'which the key is found (the id and secret together still work). The key id stays the handle for managing the key.',
        seen: 'ekoDB ({"api_key"} at /api/auth/token); Dxtra ({"personalAccessToken"} at /v1/signin/pat)',
      },
    },
  },
  token_lifetime: {
    about: 'How long an access token issued for an API key lives.',
    values: {
      ttl: {
        means: 'The configured access token lifetime, capped by the key\'s expires_at.',
        seen: 'the contract; Jexia (2 h); ekoDB (1 h); Dxtra (1 h); Machinable (5 min)',
      },
      key_expiry: {
        means:
          'Until the key\'s expires_at, set when the key was created: the token is the long-lived one. A key without an ' +
          'expiry falls back to the configured lifetime; users\' tokens always live the configured lifetime.',
        seen: 'the datasets platform (private tokens whose expiry is chosen at creation)',
      },
    },
  },
  permissions: {
    about: 'What decides whether a subject may read or change a record.',
    values: {
      policies: {
        means:
          'Policies: subjects × datasets × actions × filters, OR across policies, AND within one.',
        seen: 'the contract; Jexia; ekoDB (per-collection read/write/delete, expressible as policies)',
      },
      roles: {
        means:
          'Each user and key has a role grant instead: read (get, list) and write (create, update, delete) on every ' +
          'dataset, over its own records (role user) or all records (role administrator); without one, nothing. Policies ' +
          'are not consulted.',
        seen: 'Machinable (Role & Access of project users and API keys)',
      },
    },
  },
} as const satisfies Readonly<Record<string, SemanticOption>>

export type SemanticOptionName = keyof typeof SEMANTIC_OPTIONS

/** The domain's behaviour, one value per option. */
export type Semantics = { readonly [K in SemanticOptionName]: keyof (typeof SEMANTIC_OPTIONS)[K]['values'] }

export const SEMANTIC_OPTION_NAMES = Object.keys(SEMANTIC_OPTIONS) as SemanticOptionName[]

/** The values of an option, the default first. */
export function semanticValues<K extends SemanticOptionName>(option: K): Array<Semantics[K]> {
  return Object.keys(SEMANTIC_OPTIONS[option].values) as Array<Semantics[K]>
}

/** The contract's behaviour: every option at its first value. */
export const CONTRACT_SEMANTICS: Semantics = Object.freeze(
  Object.fromEntries(SEMANTIC_OPTION_NAMES.map((option) => [option, semanticValues(option)[0]])) as unknown as Semantics,
)

/**
 * The full semantics from a partial one (missing options take the contract's value). Unknown
 * options and values are a RangeError naming them and the allowed ones: a programming or
 * configuration error, caught before the domain starts.
 */
export function resolveSemantics(partial: Partial<Record<string, string>> = {}): Semantics {
  for (const [option, value] of Object.entries(partial)) {
    if (!(option in SEMANTIC_OPTIONS)) {
      throw new RangeError(`unknown semantic option ${JSON.stringify(option)} (known: ${SEMANTIC_OPTION_NAMES.join(', ')})`)
    }
    const allowed: string[] = semanticValues(option as SemanticOptionName)
    if (value !== undefined && !allowed.includes(value)) {
      throw new RangeError(`semantic option ${option} cannot be ${JSON.stringify(value)} (allowed: ${allowed.join(', ')})`)
    }
  }
  return Object.freeze({ ...CONTRACT_SEMANTICS, ...definedOnly(partial) }) as Semantics
}

function definedOnly(partial: Partial<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(partial).filter((entry): entry is [string, string] => entry[1] !== undefined))
}
