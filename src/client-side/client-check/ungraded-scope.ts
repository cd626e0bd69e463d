import type { UngradedCall } from '../../core/results/model.js';
import type { UngradedSeen } from '../simulator/index.js';
import type { ClientCheckConfig } from './config.js';

/**
 * Which ungraded calls the user declared out of scope (config key ungradedCalls). A pattern is
 * matched against the path shape the report lists (`/banking/v1/issuers/{issuerId}/consumers/{consumerId}/cards`,
 * query names included): `*` stands for anything within one segment, `**` for anything across
 * segments; a leading method (`PUT /banking/v1/**`) limits it to that method. No pattern: the
 * setting decides for all.
 */
export function scopeUngraded(seen: readonly UngradedSeen[], setting: ClientCheckConfig['ungradedCalls']): UngradedCall[] {
  const matchers = typeof setting === 'string' ? [] : setting.outOfScope.map(matcher);
  return seen.map((u) => ({
    ...u,
    outOfScope: setting === 'out-of-scope' || matchers.some((m) => m(u)),
  }));
}

function matcher(pattern: string): (u: UngradedSeen) => boolean {
  const spaced = /^([A-Za-z]+)\s+(\S.*)$/.exec(pattern.trim());
  const method = spaced?.[1]?.toUpperCase();
  const glob = spaced?.[2] ?? pattern.trim();
  const source = glob
    .split('**')
    .map((part) => part.split('*').map(escape).join('[^/]*'))
    .join('.*');
  const re = new RegExp(`^${source}$`);
  return (u) => (method === undefined || u.method === method) && re.test(u.path);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
