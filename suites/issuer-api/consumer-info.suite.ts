import { conformanceTest, describe } from '../../src/server-side/harness/conformance-test.js';
import { getConsumerInfoNotFound, getConsumerInfoResponse } from '../../contracts/issuer-api/consumer-info.js';
import { clickToPayEmailRequired } from '../../contracts/profiles.js';
import { expectAcceptedAgainstControl } from '../../src/server-side/harness/control.js';
import type { Kit } from '../../src/server-side/harness/kit.js';
import { primaryConsumer, unknownConsumerId } from '../../src/server-side/harness/test-data.js';
import { checkIdentifier } from '../../src/core/hygiene/identifier-rules.js';
import { findPans } from '../../src/core/hygiene/pan.js';
import { inPhoneContext } from '../../src/core/hygiene/phone.js';
import type { Exchange } from '../../src/core/http/client.js';

/** E2: Get Consumer Information (seed 004; OUT-CI-*, OUT-GEN-005/006/011/012, OUT-ID-*). */

const E = 'issuer.getConsumerInfo';
const is200 = (s: number) => s === 200;
/** Cross checks run for every configured consumer, up to this many (a long list must not stall a run). */
const MAX_CROSS_CONSUMERS = 8;

function get(kit: Kit, consumerId: string, options: { cardId?: string; correlationId?: string; issuerId?: string } = {}): Promise<Exchange> {
  return kit.send(E, {
    path: { issuerId: options.issuerId ?? kit.session.issuerId, consumerId },
    query: { cardId: options.cardId },
    headers: options.correlationId !== undefined ? { 'x-correlation-id': options.correlationId } : {},
  });
}

/** PAN-like runs, less the phone numbers that happen to pass Luhn (mobilePhoneNumber.phoneNumber is up to 14 digits). */
/** OUT-CI-002: the cardId query accepted, judged against the same consumer's call without it (the control). */
function cardIdAccepted(kit: Kit, variation: Exchange, control: Exchange): void {
  expectAcceptedAgainstControl(kit, {
    variation,
    control,
    ruleId: 'OUT-CI-002',
    endpoint: E,
    name: 'known consumer with its cardId',
    what: 'the cardId query',
    accepted: is200,
    expected: '200',
  });
}

const clearPans = (text: string) => findPans(text).filter((p) => !inPhoneContext(text, p));

interface PersonalInfo {
  firstName?: string;
  middleName?: string;
  lastName?: string;
  email?: string;
  mobilePhoneNumber?: { countryCode?: string; phoneNumber?: string };
}

describe('Get Consumer Information (seed 004)', () => {
  conformanceTest('every configured consumer gets 200 with a valid consumerInfo, and its ids carry no personal data', async (kit) => {
    if (!kit.inScope(E)) return;
    for (const consumer of kit.session.config.testData.consumers) {
      const name = `known consumer (${consumer.consumerId.length}-char id)`;
      const exchange = await get(kit, consumer.consumerId);
      if (!kit.expectStatus(exchange, 'OUT-CI-001', E, name, [200], '200')) {
        // The consumer itself is not served: its cards say nothing about the cardId query.
        if (consumer.cardIds.length > 0) {
          cardIdAccepted(kit, exchange, exchange);
        }
        continue;
      }
      const info = kit.expectBody(exchange, getConsumerInfoResponse, name) as PersonalInfo | undefined;
      kit.rec.check(clearPans(exchange.response?.body ?? '').length === 0, 'OUT-CI-019', E, name, () => ({
        message: 'consumerInfo carries a PAN-like value',
        exchange,
      }));
      if (kit.session.config.profiles.includes('click-to-pay')) {
        const email = clickToPayEmailRequired(consumer.scheme);
        if (!email.required) kit.rec.skip('OUT-CI-042', E, name, email.reason);
        else if (info) {
          kit.rec.check(typeof info.email === 'string', 'OUT-CI-042', E, name, () => ({
            message: 'consumerInfo of a Mastercard consumer has no email (mandatory for Click to Pay (Mastercard), seed 004)',
            expected: 'email present',
            actual: 'no email',
            exchange,
          }));
        }
      }
      const phone = info?.mobilePhoneNumber;
      const context = {
        names: [info?.firstName, info?.middleName, info?.lastName].filter((n): n is string => n !== undefined),
        emails: info?.email !== undefined ? [info.email] : [],
        phones: phone?.phoneNumber !== undefined ? [`${phone.countryCode ?? ''}${phone.phoneNumber}`] : [],
        pans: consumer.pans,
      };
      const idFindings = checkIdentifier('consumerId', consumer.consumerId, 'server', context);
      kit.rec.check(idFindings.length === 0, 'OUT-ID-001', E, 'configured consumerId', () => ({
        message: idFindings.map((f) => f.detail).join('; '),
        exchange,
      }));
      for (const cardId of consumer.cardIds) {
        const pan = checkIdentifier('cardId', cardId, 'server', { pans: [] });
        kit.rec.check(pan.length === 0, 'OUT-ID-002', E, 'configured cardId', () => ({ message: pan.map((f) => f.detail).join('; ') }));
        const derived = checkIdentifier('cardId', cardId, 'server', { pans: consumer.pans }).filter((f) => f.kind === 'pan-derived');
        if (consumer.pans.length === 0)
          kit.rec.skip('OUT-ID-003', E, 'configured cardId', 'no test PAN configured for this consumer (testData.consumers[].pans)');
        else kit.rec.check(derived.length === 0, 'OUT-ID-003', E, 'configured cardId', () => ({ message: derived.map((f) => f.detail).join('; ') }));
        const withCard = await get(kit, consumer.consumerId, { cardId });
        cardIdAccepted(kit, withCard, exchange);
      }
    }
    const consumers = kit.session.config.testData.consumers;
    const ids = consumers.map((c) => c.consumerId);
    const cards = consumers.flatMap((c) => c.cardIds);
    kit.rec.check(new Set(ids).size === ids.length && new Set(cards).size === cards.length, 'OUT-ID-005', E, 'configured test data', () => ({
      message: 'two configured consumers or cards share an id',
    }));
  });

  conformanceTest("consumer A asked with consumer B's card never gets B's data, for every configured pair (bounded)", async (kit) => {
    if (!kit.inScope(E)) return;
    const consumers = kit.session.config.testData.consumers.slice(0, MAX_CROSS_CONSUMERS);
    const withCards = consumers.filter((c) => c.cardIds.length > 0);
    if (consumers.length < 2 || withCards.length === 0) {
      kit.rec.skip('OUT-ID-005', E, "another consumer's card", 'needs two configured consumers, one of them with a cardId (testData.consumers)');
      return;
    }
    const own = new Map<string, string | undefined>();
    for (const c of consumers) own.set(c.consumerId, (await get(kit, c.consumerId)).response?.body);
    for (const a of consumers) {
      for (const b of withCards) {
        const cardId = b.cardIds[0];
        if (b.consumerId === a.consumerId || cardId === undefined) continue;
        const exchange = await get(kit, a.consumerId, { cardId });
        const status = exchange.response?.status ?? 0;
        const bBody = own.get(b.consumerId);
        // A refusal, or A's own data (the card ignored without the onboarding flag), is fine; B's data under A's id is a leak.
        const leak = status >= 200 && status < 300 && bBody !== undefined && bBody !== own.get(a.consumerId) && exchange.response?.body === bBody;
        kit.rec.check(!leak, 'OUT-ID-005', E, "another consumer's card", () => ({
          message: "a consumerId asked with another consumer's cardId was answered with that other consumer's data",
          expected: "a refusal (4xx) or the asked consumer's own data",
          actual: "the other consumer's consumerInfo",
          exchange,
        }));
      }
    }
  });

  conformanceTest('an unknown consumerId gets 404 with an {"error"} body', async (kit) => {
    if (!kit.inScope(E)) return;
    const exchange = await get(kit, unknownConsumerId(kit.session.config));
    kit.expectStatus(exchange, 'OUT-CI-003', E, 'unknown consumerId', [404], '404');
    if (exchange.response?.status === 404) kit.expectBody(exchange, getConsumerInfoNotFound, 'unknown consumerId');
  });

  conformanceTest('consumerIds of 1 and 64 characters are handled, never refused as invalid', async (kit) => {
    if (!kit.inScope(E)) return;
    for (const length of [1, 64]) {
      const known = kit.session.config.testData.consumers.find((c) => c.consumerId.length === length);
      const exchange = await get(kit, known?.consumerId ?? unknownConsumerId(kit.session.config, length));
      kit.expectStatus(
        exchange,
        'OUT-CI-006',
        E,
        `${length}-char consumerId`,
        [known ? 200 : 404],
        known ? '200 (configured consumer)' : '404 (valid but unknown id)',
      );
    }
  });

  conformanceTest('out-of-pattern consumerIds and cardIds are refused with a 4xx, never a 5xx', async (kit) => {
    if (!kit.inScope(E)) return;
    const consumer = primaryConsumer(kit.session.config);
    for (const [name, id] of [
      ['65-char consumerId', 'c'.repeat(65)],
      ['consumerId with @', 'cons@0001'],
      ['consumerId with a dot', 'cons.0001'],
      ['consumerId with a space', 'cons 0001'],
    ] as const) {
      const exchange = await get(kit, id);
      kit.expectInvalidHandled(exchange, 'OUT-CI-007', E, name, 'malformed');
      kit.expectStatus(exchange, 'OUT-GEN-012', E, name, (s) => s < 500, 'no 5xx');
    }
    for (const [name, cardId] of [
      ['49-char cardId', 'k'.repeat(49)],
      ['cardId with a slash', 'card/0001'],
    ] as const) {
      const exchange = await get(kit, consumer.consumerId, { cardId });
      kit.expectInvalidHandled(exchange, 'OUT-CI-008', E, name, 'malformed');
      kit.expectStatus(exchange, 'OUT-GEN-012', E, name, (s) => s < 500, 'no 5xx');
    }
  });

  conformanceTest('a consumer in an invalid state gets 403', async (kit) => {
    if (!kit.inScope(E)) return;
    const invalid = kit.session.config.testData.invalidStateConsumerId;
    if (invalid === undefined) {
      kit.rec.skip('OUT-CI-004', E, 'consumer in an invalid state', 'no such consumer configured (testData.invalidStateConsumerId)');
      return;
    }
    kit.expectStatus(await get(kit, invalid), 'OUT-CI-004', E, 'consumer in an invalid state', [403], '403');
  });

  conformanceTest('x-correlation-id is optional, accepted at both boundaries, and changes nothing', async (kit) => {
    if (!kit.inScope(E)) return;
    const { consumerId } = primaryConsumer(kit.session.config);
    // Each variation is judged against its control: without the header against with it, and back.
    const withId = await get(kit, consumerId, { correlationId: 'corr-0001' });
    const without = await get(kit, consumerId);
    const header = 'an x-correlation-id';
    expectAcceptedAgainstControl(kit, {
      variation: without,
      control: withId,
      ruleId: 'OUT-GEN-005',
      endpoint: E,
      name: 'no x-correlation-id',
      what: 'the missing x-correlation-id',
      accepted: is200,
      expected: '200',
    });
    for (const id of ['a', 'C'.repeat(64)]) {
      const variation = await get(kit, consumerId, { correlationId: id });
      expectAcceptedAgainstControl(kit, {
        variation,
        control: without,
        ruleId: 'OUT-GEN-006',
        endpoint: E,
        name: `${id.length}-char x-correlation-id`,
        what: header,
        accepted: is200,
        expected: '200',
      });
    }
    const again = await get(kit, consumerId);
    kit.rec.check(withId.response?.body === without.response?.body, 'OUT-CI-021', E, 'with and without x-correlation-id', () => ({
      message: 'the body differs when x-correlation-id is sent',
      exchange: withId,
    }));
    kit.rec.check(again.response?.body === without.response?.body, 'OUT-CI-022', E, 'same consumer twice', () => ({
      message: 'two identical GETs gave different bodies',
      exchange: again,
    }));
  });

  conformanceTest('an issuerId of the wrong length, or not the target issuer, is refused with a 4xx, for every configured consumer', async (kit) => {
    if (!kit.inScope(E)) return;
    const issuerId = kit.session.issuerId;
    // Every consumer (bounded): an issuer that checks the issuerId only for some consumers leaks the others.
    for (const { consumerId } of kit.session.config.testData.consumers.slice(0, MAX_CROSS_CONSUMERS)) {
      for (const [name, other] of [
        ['9-char issuerId', issuerId.slice(0, 9)],
        ['11-char issuerId', `${issuerId}X`],
        ['another 10-char issuerId', issuerId === 'ZZZZZZZZZZ' ? 'YYYYYYYYYY' : 'ZZZZZZZZZZ'],
      ] as const) {
        kit.expectRefused(await get(kit, consumerId, { issuerId: other }), 'OUT-GEN-011', E, `${name} (${consumerId.length}-char consumerId)`);
      }
    }
  });
});
