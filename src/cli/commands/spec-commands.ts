import { writeFileSync } from 'node:fs';
import { UsageError } from '../../core/errors/index.js';
import { diffRulebooks } from '../../core/spec-change/diff.js';
import { loadRulebook } from '../../core/spec-change/load-rulebook.js';
import { diffMarkdown, diffText, rerunHint } from '../../outputs/spec-diff.js';
import type { CommandIo } from '../command-io.js';
import { COMMAND_SPECS } from '../command-specs.js';
import { parseCommand } from '../parse-command.js';

/**
 * Regression checks after a D1 spec change: `import-openapi` (D1's OpenAPI -> a rulebook JSON)
 * and `diff OLD NEW` (what changed, breaking or not for an issuer, and what to re-run).
 */

export function importOpenApiCommand(args: readonly string[], io: CommandIo): number {
  const { values, positionals } = parseCommand(COMMAND_SPECS['import-openapi'], args);
  if (positionals.length === 0) throw new UsageError('give the OpenAPI files to import (JSON, YAML, or a D1 page with ```json blocks)');
  const loaded = loadRulebook(positionals.join(','), values.label);
  const snapshot = loaded.snapshot;
  for (const note of loaded.notes) io.err(`import-openapi: ${note.where}: ${note.text}`);
  const text = JSON.stringify(snapshot, null, 2);
  if (values.out !== undefined) {
    writeFileSync(values.out, `${text}\n`);
    io.err(`import-openapi: ${snapshot.constraints.length} constraints, ${snapshot.rules.length} rules (version ${snapshot.version}, hash ${snapshot.hash.slice(0, 12)}) written to ${values.out}`);
  } else io.out(text);
  return 0;
}

export function diffCommand(args: readonly string[], io: CommandIo): number {
  const { values, positionals } = parseCommand(COMMAND_SPECS['diff'], args);
  const [oldSpec, newSpec, ...rest] = positionals;
  if (oldSpec === undefined || newSpec === undefined || rest.length > 0) throw new UsageError('give two rulebooks: diff OLD NEW (builtin, a rulebook JSON, or OpenAPI files)');
  if (values.json && values.md) throw new UsageError('--json and --md are two outputs: give one');
  const before = loadRulebook(oldSpec);
  const after = loadRulebook(newSpec);
  for (const note of [...before.notes, ...after.notes]) io.err(`diff: ${note.where}: ${note.text}`);
  const diff = diffRulebooks(before.snapshot, after.snapshot);
  const hint = rerunHint(oldSpec, newSpec, diff);
  if (values.out !== undefined) writeFileSync(values.out, `${JSON.stringify(diff, null, 2)}\n`);
  io.out(values.json ? JSON.stringify(diff, null, 2) : values.md ? diffMarkdown(diff, hint) : diffText(diff, hint));
  return values['fail-on-breaking'] && diff.summary.breaking > 0 ? 1 : 0;
}
