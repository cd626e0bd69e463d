import { rulesDecidedBy } from '../../../contracts/index.js';
import { registerCardRequest } from '../../../contracts/d1-api/cards.js';
import { deleteConsumerRequest, getCardListRequest, registerConsumerRequest, updateConsumerRequest } from '../../../contracts/d1-api/consumers.js';
import type { Redactor } from '../../core/redact/redactor.js';
import type { MessageDef } from '../../core/rulebook/message.js';
import { gradeContract, requestField, type FieldError } from './contract.js';
import { fieldInvalid, unauthorized } from './errors.js';
import type { Grading } from './grade.js';
import type { RequestIdentity } from './identity.js';
import { decodeUtf8, mediaType, parseJson, type Reply } from './http.js';
import { gradeCardId, gradeClearPan, gradeConsumerId, gradeCorrelationId, personalContext } from './hygiene.js';
import { gradeJwe } from './jwe.js';
import type { JweKey } from './keys.js';
import { deleteConsumer, getCardList, registerCard, registerConsumer, updateConsumer, type OperationDeps } from './operations.js';
import type { D1ApiEndpointId } from './routes.js';
import type { AccessTokens } from './token.js';
import { isRecord } from '../../core/util/json.js';

/**
 * Every banking API call, in this order: the bearer token (IN-AUTH-016, 401), the path issuerId
 * against the token (IN-PATH-001, 401), the body, the request contract under the profiles in
 * force, the card JWE, hygiene on every identifier, then the operation. Everything is graded even
 * when the call is refused; error-level findings refuse with 400 naming the first field in error.
 */

export interface ApiDeps extends OperationDeps {
  readonly tokens: AccessTokens;
  readonly jweKey: JweKey;
  readonly redactor: Redactor;
}

export interface ApiRequest {
  readonly endpoint: D1ApiEndpointId;
  /** The raw request target (path and query), for the clear-PAN scan. */
  readonly target: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** Its retry identity (identity.ts), for IN-RES-004. */
  readonly identity?: RequestIdentity;
}

const CONTRACTS: { readonly [K in D1ApiEndpointId]: MessageDef } = {
  'd1.registerConsumer': registerConsumerRequest,
  'd1.updateConsumer': updateConsumerRequest,
  'd1.deleteConsumer': deleteConsumerRequest,
  'd1.getCardList': getCardListRequest,
  'd1.registerCard': registerCardRequest,
};

/** The rule a malformed body breaks, for the endpoints that take one. */
const BODY_RULE: { readonly [K in D1ApiEndpointId]?: string } = {
  'd1.registerConsumer': 'IN-CON-001',
  'd1.updateConsumer': 'IN-CON-001',
  'd1.deleteConsumer': 'IN-CON-014',
  'd1.registerCard': 'IN-CARD-002',
};

/** The contract names the JWE field `encryptedData`; the wire name is a policy (registerCardJweField). */
const CONTRACT_JWE_FIELD = 'encryptedData';

// RFC 9110 §11.1: the scheme name is case-insensitive.
const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i;

export async function apiEndpoint(g: Grading, req: ApiRequest, deps: ApiDeps): Promise<Reply> {
  const issuerId = await authorize(g, req.headers.authorization, deps.tokens);
  if (issuerId === undefined) return refuseToken(deps);
  if (
    !g.check(
      req.params.issuerId === issuerId,
      'IN-PATH-001',
      "path issuerId is the token's issuer",
      'the path issuerId is not the issuer the bearer token was issued to',
    )
  ) {
    return refuseToken(deps);
  }

  const { policies, profiles } = deps.config;
  const jweField = policies.registerCardJweField;
  const bodyRule = BODY_RULE[req.endpoint];
  const body = bodyRule === undefined ? undefined : readJsonBody(g, req.body, bodyRule, req.headers['content-type']);
  const malformed = body === MALFORMED;

  // A malformed body has no contract to check; its path and headers are checked on the next call.
  const refusals: FieldError[] = [];
  if (!malformed) {
    const value = { path: req.params, query: req.query, headers: req.headers, ...(bodyRule !== undefined ? { body: toContractBody(body, jweField) } : {}) };
    const contract = CONTRACTS[req.endpoint];
    refusals.push(...gradeContract(g, deps.config.overlay.get(contract.id) ?? contract, value, { profiles, namesFields: UNKNOWN_FIELD_RULES }));
  }
  const card = req.endpoint === 'd1.registerCard' && isRecord(body) ? await gradeCardBody(g, body, refusals, deps) : {};
  // No await past this point: the state is read and changed in one synchronous run.

  const personalInformation = isRecord(body) && isRecord(body.personalInformation) ? body.personalInformation : undefined;
  if (personalInformation) deps.redactor.learnPersonalInfo(personalInformation);
  const consumerId =
    req.endpoint === 'd1.registerCard' ? (isRecord(body) && typeof body.consumerId === 'string' ? body.consumerId : undefined) : req.params.consumerId;
  gradeHygiene(g, req, deps, { consumerId, personalInformation, ...card });
  if ((req.endpoint === 'd1.registerConsumer' || req.endpoint === 'd1.updateConsumer') && isRecord(body)) gradeRecommended(g, personalInformation);

  const [first] = refusals;
  if (first) return fieldInvalid(first.code, wireField(first.path, jweField));
  if (malformed) return fieldInvalid('FIELD_INVALID_FORMAT', 'body');
  return operate(g, req, deps, { consumerId, personalInformation, pan: card.pan, jweField, body });
}

/** A 401 tells the client its token is no good: the token it fetches next is not a failure to reuse (IN-AUTH-015). */
function refuseToken(deps: ApiDeps): Reply {
  deps.state.excuseNextToken();
  return unauthorized();
}

const MALFORMED = Symbol('malformed');

/** The JSON body (undefined when empty), or MALFORMED after grading the endpoint's body rule. */
function readJsonBody(g: Grading, bytes: Buffer, bodyRule: string, contentType: string | undefined): unknown {
  if (bytes.length === 0) return undefined;
  // D1's bodies are JSON; whether its gateway refuses another media type is NF: a warning, the body still read.
  const json = mediaType(contentType) === 'application/json';
  if (!json)
    g.breach(
      bodyRule,
      'body Content-Type is application/json',
      `Content-Type is ${contentType === undefined ? 'missing' : 'not application/json'}`,
      'non-json-content-type',
    );
  const text = decodeUtf8(bytes);
  const parsed = text === undefined ? undefined : parseJson(text);
  if (parsed?.ok === true) return parsed.value;
  g.finding(bodyRule, 'body is well-formed JSON', 'the body is not well-formed UTF-8 JSON');
  return MALFORMED;
}

/**
 * Register card beyond its contract: the cardProductId is configured (IN-CARD-003), and the JWE
 * is graded and decrypted. The PAN is taught to the redactor and the state as soon as it is
 * known, before anything is recorded. Refusals are added to `refusals`.
 */
async function gradeCardBody(g: Grading, body: Record<string, unknown>, refusals: FieldError[], deps: ApiDeps): Promise<{ pan?: string; jwe?: string }> {
  const { cardProducts, policies } = deps.config;
  const cardProductId = body.cardProductId;
  if (typeof cardProductId === 'string' && !refusals.some((r) => r.path === 'body.cardProductId')) {
    const known = g.check(
      cardProducts.has(cardProductId),
      'IN-CARD-003',
      'cardProductId is a configured product',
      'cardProductId is not a card product configured for this issuer',
    );
    if (!known) refusals.push({ path: 'body.cardProductId', code: 'FIELD_INVALID_VALUE' });
  }
  const jwe = body[policies.registerCardJweField];
  if (typeof jwe !== 'string' || refusals.some((r) => r.path === `body.${CONTRACT_JWE_FIELD}`)) return {};
  const outcome = await gradeJwe(g, jwe, deps.jweKey, policies.registerCardJweField);
  if (outcome.pan !== undefined) {
    deps.redactor.addPan(outcome.pan);
    // Only a plausible PAN becomes hygiene context: a stray "1" would match everything.
    if (/^\d{12,19}$/.test(outcome.pan)) deps.state.learnPan(outcome.pan);
  }
  if (outcome.error !== undefined) refusals.push({ path: `body.${CONTRACT_JWE_FIELD}`, code: outcome.error });
  return { jwe, ...(outcome.pan !== undefined ? { pan: outcome.pan } : {}) };
}

/** IN-ID-002, IN-HDR-003, IN-ID-001 and IN-JWE-008, against what this request and the state know. */
function gradeHygiene(
  g: Grading,
  req: ApiRequest,
  { state, redactor }: ApiDeps,
  known: { consumerId: string | undefined; personalInformation: Record<string, unknown> | undefined; pan?: string; jwe?: string },
): void {
  const { consumerId } = known;
  const stored = consumerId === undefined ? undefined : state.personalInformation(consumerId);
  const context = personalContext([known.personalInformation, stored], state.pans());
  if (consumerId !== undefined) gradeConsumerId(g, consumerId, context, redactor);
  gradeCorrelationId(g, req.headers['x-correlation-id'], context, redactor);
  if (req.params.cardId !== undefined) gradeCardId(g, req.params.cardId, known.pan, redactor);
  gradeClearPan(
    g,
    { target: req.target, headers: req.headers, body: req.body.toString('utf8'), ...(known.jwe !== undefined ? { jwe: known.jwe } : {}) },
    state.pans(),
  );
}

/** IN-AUTH-016: a Bearer token this simulator issued, unexpired; the issuer it was issued to. */
async function authorize(g: Grading, header: string | undefined, tokens: AccessTokens): Promise<string | undefined> {
  const name = 'Authorization: Bearer <unexpired simulator token>';
  const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
  if (token === undefined) {
    g.finding('IN-AUTH-016', name, header === undefined ? 'no Authorization header' : 'the Authorization header is not "Bearer <token>"');
    return undefined;
  }
  const checked = await tokens.verify(token);
  if (!checked.ok) {
    g.finding('IN-AUTH-016', name, checked.reason === 'expired' ? 'the access token has expired' : 'the access token was not issued by this simulator');
    return undefined;
  }
  g.pass('IN-AUTH-016', name);
  return checked.issuerId;
}

/** The body as the contract names it: the policy's JWE field under the contract's name. */
function toContractBody(body: unknown, jweField: string): unknown {
  if (jweField === CONTRACT_JWE_FIELD || !isRecord(body)) return body;
  const { [jweField]: jwe, ...rest } = body;
  return { ...rest, [CONTRACT_JWE_FIELD]: jwe };
}

/** The field named in a refusal, as the client sent it. */
function wireField(path: string, jweField: string): string {
  const field = requestField(path);
  return field === CONTRACT_JWE_FIELD || field.startsWith(`${CONTRACT_JWE_FIELD}.`) ? jweField + field.slice(CONTRACT_JWE_FIELD.length) : field;
}

/** The rules on undocumented body fields (those the requestUnknownFields policy decides): their findings name the fields. */
const UNKNOWN_FIELD_RULES: ReadonlySet<string> = new Set(rulesDecidedBy('requestUnknownFields'));

/** IN-CON-002 (SHOULD): name, email, phone and postal address are strongly recommended. */
function gradeRecommended(g: Grading, info: Record<string, unknown> | undefined): void {
  const missing =
    info === undefined
      ? ['personalInformation']
      : ['firstName', 'lastName', 'email', 'mobilePhoneNumber', 'residencyAddress'].filter((k) => info[k] === undefined);
  g.check(missing.length === 0, 'IN-CON-002', 'personalInformation carries the recommended data', () => `missing: ${missing.join(', ')}`);
}

interface Checked {
  readonly consumerId: string | undefined;
  readonly personalInformation: Record<string, unknown> | undefined;
  readonly pan: string | undefined;
  readonly jweField: string;
  readonly body: unknown;
}

function operate(g: Grading, req: ApiRequest, deps: ApiDeps, checked: Checked): Reply {
  const { consumerId, personalInformation } = checked;
  // The contract passed, so the ids are there; the guards only satisfy the type checker.
  if (consumerId === undefined) return fieldInvalid('FIELD_INVALID_FORMAT', 'consumerId');
  switch (req.endpoint) {
    case 'd1.registerConsumer':
      return registerConsumer(g, deps, consumerId, personalInformation, req.identity);
    case 'd1.updateConsumer':
      return updateConsumer(g, deps, consumerId, personalInformation);
    case 'd1.deleteConsumer':
      return deleteConsumer(g, deps, consumerId);
    case 'd1.getCardList':
      return getCardList(g, deps, consumerId);
    case 'd1.registerCard': {
      const { cardId } = req.params;
      const cardProductId = isRecord(checked.body) ? checked.body.cardProductId : undefined;
      if (cardId === undefined || checked.pan === undefined || typeof cardProductId !== 'string') return fieldInvalid('FIELD_INVALID_FORMAT', checked.jweField);
      return registerCard(g, deps, {
        cardId,
        consumerId,
        cardProductId,
        pan: checked.pan,
        jweField: checked.jweField,
        ...(req.identity !== undefined ? { identity: req.identity } : {}),
      });
    }
  }
}
