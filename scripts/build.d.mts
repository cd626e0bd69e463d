// Types of scripts/build.mjs for the TypeScript that imports it (the tests).
export function isStale(root?: string): boolean;
export function build(root?: string): Promise<void>;
