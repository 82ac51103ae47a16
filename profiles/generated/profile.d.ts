// Generated from profiles/profile.schema.json by profiles/tooling/generate-types.ts
// (npm run generate). Do not edit: change the schema and regenerate.
export type paths = Record<string, never>;
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * authconform profile
         * @description profiles/<name>/profile.yaml: another system's wire format described in terms of the contract's operations (by operationId), so that `authconform mock --profile` answers it and `authconform verify --profile` checks a target that speaks it. Described in profiles/README.md.
         */
        Profile: {
            /** @description The profile's name (`--profile NAME`); the built-in ones match their folder. */
            profile: string;
            title: string;
            description?: string;
            /** @description Where the wire format's facts come from (the system's documentation, its SDK). */
            source: string;
            /** @description The profile's own OpenAPI 3.1 document (JSON or YAML), relative to this file; verify validates the target's answers against it. `contract` names the authconform bundle (the identity profile). */
            openapi: string;
            /** @description The fixture file `mock --profile` starts from (relative to this file; default: the contract's fixtures/default.yaml), e.g. one that gives its users the role grants a system with `permissions: roles` needs. */
            fixtures?: string;
            /**
             * @description Contract operations that `operations` does not list: `unmapped` (not applicable under this profile) or `contract` (the contract's own wire call, byte for byte).
             * @default unmapped
             * @enum {unknown}
             */
            unlisted?: "unmapped" | "contract";
            /**
             * @description json: request bodies are JSON under application/json only (the contract; any other media type is 415); any: the system reads a JSON body whatever its Content-Type says (Jexia's SDK sends none).
             * @default json
             * @enum {unknown}
             */
            request_media?: "json" | "any";
            /**
             * @description settable: a key can be given an expiry that ends it and caps its tokens (the contract); none: the system's keys have none.
             * @default settable
             * @enum {unknown}
             */
            key_expiry?: "settable" | "none";
            semantics?: components["schemas"]["semantics"];
            tokens?: components["schemas"]["tokens"];
            /** @description The system's documented rate limits, used when it has no discovery document (the contract's RateLimit shape). */
            rate_limits?: components["schemas"]["rateLimit"][];
            auth?: components["schemas"]["auth"];
            errors?: components["schemas"]["errors"];
            /** @description Per contract operationId: its wire call, or why it has none. */
            operations?: {
                [key: string]: components["schemas"]["operationEntry"];
            };
            /** @description Wire calls of the system that stand for one or several contract operations in a row, answered by the mock (verify uses each operation's own entry): one operation for a call the contract has no counterpart of, each element of an array, or several operations. */
            compositions?: components["schemas"]["composition"][];
            setup?: components["schemas"]["setup"];
        };
        /** @description The semantic options in which the system differs from the contract (mock/domain/semantics.ts); a requirement that assumes another value is not applicable. Left out: the contract's value. */
        semantics: {
            /**
             * @description rotate: a refresh answers a new access and a new refresh token, the old one is dead (the contract); access_only: only a new access token, the refresh token stays; none: no refresh, clients exchange again.
             * @default rotate
             * @enum {unknown}
             */
            refresh?: "rotate" | "access_only" | "none";
            /**
             * @description required: an API key is exchanged with its secret (the contract); none: the key alone is the credential.
             * @default required
             * @enum {unknown}
             */
            key_secret?: "required" | "none";
            /**
             * @description ttl: tokens live the declared access/refresh TTLs (the contract); key_expiry: a token lives until the expiry set when its key was created.
             * @default ttl
             * @enum {unknown}
             */
            token_lifetime?: "ttl" | "key_expiry";
            /**
             * @description policies: permission policies decide (the contract); roles: role-based read/write, users see their own records and administrators all.
             * @default policies
             * @enum {unknown}
             */
            permissions?: "policies" | "roles";
        };
        /** @description Facts about the system's tokens. */
        tokens: {
            access?: {
                /**
                 * @description What a client can read in an access token.
                 * @default jwt
                 * @enum {unknown}
                 */
                format?: "jwt" | "opaque";
                /**
                 * @description contract: the contract's claims (iss, sub, sid, iat, exp, jti); own: claims of the system's own.
                 * @default contract
                 * @enum {unknown}
                 */
                claims?: "contract" | "own";
                /** @description Wire path of the JWK Set that verifies access tokens; left out: none is published. */
                jwks?: string;
                /** @description Access token lifetime in seconds, where the system has no discovery document. */
                lifetime?: number;
            };
            refresh?: {
                /** @description Refresh token lifetime in seconds, where the system has no discovery document. */
                lifetime?: number;
            };
        };
        rateLimit: {
            /** @enum {unknown} */
            scope: "token" | "signin" | "signin_failures" | "data";
            /** @enum {unknown} */
            per: "credential" | "address" | "account" | "subject";
            limit: number;
            window_seconds: number;
        };
        /** @description How the contract's credentials appear on the wire of protected operations. A scheme left out is not accepted by the system. */
        auth: {
            /** @description An access token; placeholder {token}. */
            bearer?: components["schemas"]["scheme"];
            /** @description An API key used directly on every request (the contract's ApiKey scheme); placeholders {id} and {secret} (a format without {id} names the key by its secret alone). */
            api_key?: components["schemas"]["scheme"];
            /** @description HTTP Basic user credentials; placeholder {credentials} (base64 of user:password). */
            basic?: components["schemas"]["scheme"];
        };
        scheme: {
            /** @description The header that carries it (default Authorization). */
            header?: components["schemas"]["headerName"];
            /** @description A query parameter that carries it instead of a header (not with header). */
            query?: string;
            /** @description The value with placeholders, e.g. 'Bearer {token}'; a leading scheme word is matched case-insensitively. */
            format: string;
        };
        /** @description The system's error envelope and how it maps onto the contract's problem `code`s and statuses. */
        errors: {
            content_type: string;
            /** @description Pointer to the envelope's schema in the profile's OpenAPI document (checks errors of routes it does not document). */
            schema?: string;
            /** @description Contract problem field (/detail, /title) → where the envelope carries it. */
            fields?: components["schemas"]["fieldMap"];
            /** @description Wire → contract: every entry whose wire status and constants match names a code the answer may stand for (the first is reported). Contract → wire: the first entry for the code (then the first for the status) shapes the answer. */
            codes: components["schemas"]["errorCode"][];
        };
        errorCode: {
            /** @enum {unknown} */
            code: "invalid_request" | "invalid_credentials" | "invalid_token" | "token_expired" | "token_revoked" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unsupported_media_type" | "rate_limited" | "internal_error";
            /** @description The contract's status for it. */
            status: number;
            /** @description The system's status (default: status). */
            wire_status?: number;
            /** @description Values the envelope carries for it (wire location → value). */
            constants?: components["schemas"]["constants"];
        };
        operationEntry: components["schemas"]["operation"] | {
            /** @description Why the system has no wire call for it (shown with every case it makes not applicable). */
            unmapped: string;
        } | {
            /**
             * @description The contract's own wire call, byte for byte.
             * @constant
             */
            contract: true;
        };
        operation: {
            /** @description Method and path template on the target, e.g. 'POST /sessions/' or 'GET /api/{name}/{id}'. */
            call: string;
            request?: components["schemas"]["request"];
            response?: components["schemas"]["response"];
            /** @description Why it is mapped this way (shown in the docs). */
            note?: string;
        };
        request: {
            /** @description Contract location (/body pointer, {path param}, ?query param) → wire location. Path parameters and query parameters of the same name need no entry. */
            fields?: components["schemas"]["fieldMap"];
            /** @description Values the wire request always carries (wire location → value); the mock also tells operations that share a call apart by them. */
            constants?: components["schemas"]["constants"];
            /**
             * @description Contract body fields and query parameters without an entry travel under the same name (true), or make the request inexpressible (false: not applicable).
             * @default true
             */
            carry?: boolean;
            /**
             * @description How the system's list selects records, where the contract's listRecords pages by cursor: the mock reads every page of the contract's answer and answers the records selected — jexia: by the query string's cond and range (profiles/filters/jexia-cond.ts; a query the syntax refuses is 400); all: every record (a list without paging). Verify never writes a query.
             * @enum {unknown}
             */
            query?: "jexia" | "all";
        };
        response: {
            /** @description The system's success status (default: the contract's). */
            status?: number;
            /** @description Contract location (/body pointer, header:Name) → where the wire answer carries it, or a value the profile supplies ({const}, {lifetime}). */
            fields?: components["schemas"]["fieldMap"];
            /** @description Values the wire answer always carries (written by the mock, not read). */
            constants?: components["schemas"]["constants"];
            /**
             * @description Body fields without an entry travel under the same name.
             * @default false
             */
            carry?: boolean;
        };
        composition: {
            call: string;
            note?: string;
            steps: {
                operation: string;
                request?: components["schemas"]["request"];
                /** @description Runs the step once per element of this wire body array; its request fields read the element as the body. The answers are collected into an array. */
                each?: components["schemas"]["bodyPointer"];
            }[];
            /** @description The answer, from the first step's contract answer (an array of them when the first step has each). */
            response?: components["schemas"]["response"];
        };
        /** @description Set-up without an admin API: where verify gets its keys, users and datasets when the system manages them elsewhere (a dashboard). */
        setup: {
            /** @description Path of the provider-states endpoint on the target (POST {state, params}); `verify --setup-url` overrides it. The mock under this profile serves it. */
            provider_states?: string;
            /** @description Under `permissions: roles`: the role grant verify asks for with every key and user it sets up (params.grant). */
            grant?: {
                /** @enum {unknown} */
                scope: "own" | "all";
                read: boolean;
                write: boolean;
            };
        };
        fieldMap: {
            [key: string]: components["schemas"]["source"];
        };
        constants: {
            [key: string]: unknown;
        };
        source: components["schemas"]["location"] | {
            at: components["schemas"]["location"];
            /** @description The value inside a longer text, e.g. 'Bearer {value}'. */
            format?: string;
            /** @description The value is an API key string: on the wire `<id>.<secret>`, the secret joined to the key id that the contract has at this pointer (a request's /api_key, a created key's /id), and split again the other way. */
            key_id?: components["schemas"]["bodyPointer"];
            /** @description For arrays: the mapping of every element (pointers relative to the element). */
            each?: components["schemas"]["fieldMap"];
            /** @description With each: element fields without an entry travel under the same name. */
            carry?: boolean;
        } | {
            /** @description A value the profile supplies (responses only). */
            const: unknown;
        } | {
            /** @description The value the contract request carried there (responses only): a refresh answer without refresh_token under refresh access_only has the presented one. */
            request: components["schemas"]["location"];
        } | {
            /**
             * @description The declared lifetime of tokens/access or tokens/refresh (responses only).
             * @enum {unknown}
             */
            lifetime: "access" | "refresh";
        };
        /** @description A place in a request or answer: '/a/b' a JSON body pointer ('' the whole body), '{name}' a path parameter, '?name' a query parameter, 'header:Name' a header, 'basic:username' or 'basic:password' HTTP Basic credentials. */
        location: string;
        bodyPointer: string;
        headerName: string;
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
