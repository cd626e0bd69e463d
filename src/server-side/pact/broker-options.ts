import type { VerifierOptions } from '@pact-foundation/pact';
import type { BrokerCredentials } from '../../core/pact/broker-client.js';

/**
 * The broker as the verification uses it, and as the Pact Verifier is told of it. Plain data,
 * no runtime imports: the verifier process (verifier-child.ts) loads this through
 * verifier-options.ts and gets the settings over IPC.
 */

export type ConsumerVersionSelector = NonNullable<VerifierOptions['consumerVersionSelectors']>[number];

/** Which pacts the broker gives for verification when --consumer-version-selectors is not set: D1's main branch, and the versions deployed or released. */
export const DEFAULT_CONSUMER_VERSION_SELECTORS: readonly ConsumerVersionSelector[] = [{ mainBranch: true }, { deployedOrReleased: true }];

export type BrokerSettings = BrokerCredentials & {
  readonly url: string;
  readonly providerVersion: string;
  readonly branch?: string;
  /** Default: DEFAULT_CONSUMER_VERSION_SELECTORS. */
  readonly consumerVersionSelectors?: readonly ConsumerVersionSelector[];
  /** Pending pacts (a pact not yet verified by this branch) are verified without failing the verification. */
  readonly enablePending?: boolean;
  /** YYYY-MM-DD: work-in-progress pacts published since then are verified too (as pending). */
  readonly includeWipPactsSince?: string;
};

/** The Pact Verifier's broker options: where the pacts come from, which ones, and publishing the results. */
export function brokerVerifierOptions(broker: BrokerSettings): Partial<VerifierOptions> {
  return {
    pactBrokerUrl: broker.url,
    ...(broker.token !== undefined ? { pactBrokerToken: broker.token } : { pactBrokerUsername: broker.username, pactBrokerPassword: broker.password }),
    consumerVersionSelectors: [...(broker.consumerVersionSelectors ?? DEFAULT_CONSUMER_VERSION_SELECTORS)],
    ...(broker.enablePending === true ? { enablePending: true } : {}),
    ...(broker.includeWipPactsSince !== undefined ? { includeWipPactsSince: broker.includeWipPactsSince } : {}),
    publishVerificationResult: true,
    providerVersion: broker.providerVersion,
    ...(broker.branch !== undefined ? { providerVersionBranch: broker.branch } : {}),
  };
}
