import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES } from '../../contracts/index.js';
import { PolicySettings } from '../../contracts/policies.js';
import { D1_TO_ISSUER, type InteractionSpec } from '../../src/core/pact/interactions.js';
import { mapVerification } from '../../src/server-side/pact/results.js';
import { Redactor } from '../../src/core/redact/redactor.js';

/**
 * Issue 12 item 7, its cause in the Pact results: every value of a Get Consumer Information
 * mismatch was taken for personal data, the 404's error text too, so "Tarjeta no existe" showed as
 * `<pii: 17 characters>` and was then masked in every other finding. Only the 200 consumerInfo is personal.
 */

const byDescription = (d: string) => D1_TO_ISSUER.interactions.find((i) => i.description === d) as InteractionSpec;
const UNKNOWN = byDescription('a request for the information of an unknown consumer');
const KNOWN = byDescription('a request for the information of a known consumer');

function mapBodyMismatch(interaction: InteractionSpec, path: string, actual: string, redactor: Redactor) {
  return mapVerification(
    {
      interactionResults: [{ description: interaction.description, result: 'Error' }],
      errors: [
        {
          interaction: `Verifying a pact between D1 and issuer-backend - ${interaction.description}`,
          mismatch: { type: 'mismatches', mismatches: [{ type: 'BodyMismatch', path, expected: '"x"', actual: JSON.stringify(actual), mismatch: 'x' }] },
        },
      ],
    },
    { interactions: [interaction], policies: PolicySettings.parse(DEFAULT_POLICIES), redactor, skipped: new Map() },
  );
}

describe('pact findings on Get Consumer Information', () => {
  it("show a 404's error text as it is, and do not learn it as personal data", () => {
    const redactor = new Redactor();
    const results = mapBodyMismatch(UNKNOWN, '$.errorCode', 'Tarjeta no existe', redactor);
    const finding = results.find((r) => r.status === 'FAILED');
    expect(finding?.actual ?? finding?.message).toContain('Tarjeta no existe');
    expect(JSON.stringify(results)).not.toContain('<pii');
    expect(redactor.text('Tarjeta no existe')).toBe('Tarjeta no existe');
  });

  it("still hide a 200 consumerInfo's personal value, and learn it", () => {
    const redactor = new Redactor();
    const results = mapBodyMismatch(KNOWN, '$.firstName', 'Zebulon!', redactor);
    expect(JSON.stringify(results)).not.toContain('Zebulon');
    expect(JSON.stringify(results)).toContain('<pii: 8 characters');
    expect(redactor.text('name: Zebulon!')).toBe('name: <pii>');
  });
});
