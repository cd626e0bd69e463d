/** The run configuration (file, flags or environment) is wrong: one line naming the key, exit 2. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}
