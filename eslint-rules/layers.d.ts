// Types of layers.js (plain JS so that ESLint loads it without a build).
import type { ESLint } from 'eslint';

export interface Layer {
  readonly name: string;
  readonly paths: readonly string[];
  readonly imports: readonly string[];
}
export declare const LAYERS: readonly Layer[];
export declare function layerOf(path: string): Layer | undefined;
export declare function refusal(from: string, to: string): string | undefined;
declare const plugin: ESLint.Plugin;
export default plugin;
