export { UsageError } from './usage-error.js';
export { ConfigurationError } from './configuration-error.js';
export { TargetError } from './target-error.js';
