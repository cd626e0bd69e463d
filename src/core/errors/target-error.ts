/** The target could not be used at all (unreachable, token endpoint silent): one line, exit 2. */
export class TargetError extends Error {
  override readonly name = 'TargetError';
}
