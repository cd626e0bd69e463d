import { randomUUID } from 'node:crypto';
import { endpoint } from '../../../contracts/endpoints.js';
import { AUTHENTICATION_FINAL_STATUSES } from '../../../contracts/issuer-api/index.js';
import type { RunConfig } from '../../core/config/run-config.js';
import type { Exchange, HttpClient } from '../../core/http/client.js';

/**
 * The few calls the pact verification makes to the target itself (outside the verifier): the
 * bearer token, and Authenticate / Get Authentication Result to put an authentication in the
 * state an interaction needs.
 */

/** Absolute URL of a path on the target, or an absolute URL as given. */
export function targetUrl(config: RunConfig, pathOrUrl: string): string {
  if (/^https?:\/\//.test(pathOrUrl)) return pathOrUrl;
  const base = config.target.baseUrl.endsWith('/') ? config.target.baseUrl : `${config.target.baseUrl}/`;
  return new URL(pathOrUrl.replace(/^\//, ''), base).toString();
}

export function basicCredentials(config: RunConfig): string | undefined {
  return config.auth.mode === 'oauth' ? `Basic ${Buffer.from(`${config.auth.clientId}:${config.auth.clientSecret}`).toString('base64')}` : undefined;
}

/** A fresh access token from the target's token endpoint with the configured credentials (undefined if refused). */
export async function fetchToken(config: RunConfig, client: HttpClient): Promise<string | undefined> {
  const basic = basicCredentials(config);
  if (config.auth.mode !== 'oauth' || basic === undefined) return undefined;
  const body = new URLSearchParams({ grant_type: config.policies.issuerTokenGrantType, ...(config.auth.scope ? { scope: config.auth.scope } : {}) }).toString();
  const exchange = await client.send({
    method: 'POST',
    url: targetUrl(config, config.auth.tokenUrl),
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
    body,
  });
  if (exchange.response?.status !== 200) return undefined;
  try {
    const token = (JSON.parse(exchange.response.body) as { access_token?: unknown }).access_token;
    return typeof token === 'string' && token !== '' ? token : undefined;
  } catch {
    return undefined;
  }
}

function consumerPath(config: RunConfig, consumerId: string, suffix = ''): string {
  const path = endpoint('issuer.getConsumerInfo')
    .path.replace('{issuerId}', encodeURIComponent(config.target.issuerId))
    .replace('{consumerId}', encodeURIComponent(consumerId));
  return targetUrl(config, `${path}${suffix}`);
}

function headers(token: string | undefined): Record<string, string> {
  return { accept: 'application/json', ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) };
}

/** Starts an authentication for the consumer; returns its id, or why it could not. */
export async function startAuthentication(
  config: RunConfig,
  client: HttpClient,
  token: string | undefined,
  consumerId: string,
): Promise<{ authenticationId: string } | { problem: string }> {
  const authenticationId = randomUUID();
  const exchange = await client.send({
    method: 'POST',
    url: consumerPath(config, consumerId, '/authentication'),
    headers: { ...headers(token), 'content-type': 'application/json' },
    body: JSON.stringify({ authenticationId, operation: '3DS_CHALLENGE_OOB_ISSUER' }),
  });
  return exchange.response?.status === 200 ? { authenticationId } : { problem: `Authenticate answered ${describe(exchange)}` };
}

/**
 * Polls Get Authentication Result until a final status, within the configured polling budget and
 * at most `maxMs`. It does not judge: the interaction that follows does.
 */
export async function awaitFinal(
  config: RunConfig,
  client: HttpClient,
  token: string | undefined,
  consumerId: string,
  authenticationId: string,
  maxMs: number,
): Promise<void> {
  const until = Date.now() + maxMs;
  const { authenticationPollAttempts: attempts, authenticationPollIntervalMs: interval } = config.policies;
  for (let i = 0; i < attempts && Date.now() < until; i++) {
    const exchange = await client.send({
      method: 'GET',
      url: consumerPath(config, consumerId, `/authentication/${encodeURIComponent(authenticationId)}`),
      headers: headers(token),
    });
    const status = statusOf(exchange);
    if (status === undefined || (AUTHENTICATION_FINAL_STATUSES as readonly string[]).includes(status)) return;
    await new Promise((r) => setTimeout(r, Math.min(interval, Math.max(0, until - Date.now()))));
  }
}

function statusOf(exchange: Exchange): string | undefined {
  if (exchange.response?.status !== 200) return undefined;
  try {
    const s = (JSON.parse(exchange.response.body) as { authenticationStatus?: unknown }).authenticationStatus;
    return typeof s === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}

function describe(exchange: Exchange): string {
  return exchange.response ? `HTTP ${exchange.response.status}` : (exchange.transportError ?? 'no response');
}
