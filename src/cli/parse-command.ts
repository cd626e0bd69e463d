import { parseArgs } from 'node:util';
import { COMMAND_SPECS, EXIT_CODES, type CommandName, type CommandSpec, type FlagSpec, type FlagSpecs } from './command-specs.js';

/** A command's flags and operands, parsed strictly by its spec: a flag the help does not list is refused. */
export function parseCommand<F extends FlagSpecs>(spec: { readonly flags: F; readonly operands?: string }, args: readonly string[]) {
  return parseArgs({ args: [...args], options: spec.flags, strict: true, allowPositionals: spec.operands !== undefined });
}

/** Whether the user asked for a command's help: `--help` or `-h` before any `--` (after it, they belong to COMMAND). */
export function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

const HELP_FLAG: FlagSpec = { type: 'boolean', short: 'h', help: 'this help' };

/** `d1-conformance <command> --help`: usage, what it does, and every flag it takes. */
export function commandHelp(name: CommandName): string {
  const spec: CommandSpec = COMMAND_SPECS[name];
  const rows = Object.entries({ ...spec.flags, help: HELP_FLAG }).map(([flag, f]) => [
    `${f.short !== undefined ? `-${f.short}, ` : '    '}--${flag}${f.type === 'string' ? ` ${f.value ?? 'VALUE'}` : ''}`,
    `${f.help}${f.multiple === true ? ' (repeatable)' : ''}`,
  ]);
  const width = Math.max(...rows.map(([left]) => (left ?? '').length));
  return [
    `Usage: d1-conformance ${name} [flags]${spec.operands !== undefined ? ` ${spec.operands}` : ''}`,
    '',
    spec.summary,
    ...(spec.details ?? []),
    '',
    'Flags:',
    ...rows.map(([left = '', right = '']) => `  ${left.padEnd(width)}  ${right}`),
    '',
    EXIT_CODES,
  ].join('\n');
}

/** `d1-conformance help`: every command in one line each. */
export function overviewHelp(): string {
  const names = Object.keys(COMMAND_SPECS) as CommandName[];
  const width = Math.max(...names.map((n) => n.length));
  return [
    'd1-conformance: conformance suite for issuers integrating with Thales D1',
    '',
    'Usage: d1-conformance <command> [flags]',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${COMMAND_SPECS[n].summary}`),
    `  ${'help'.padEnd(width)}  This overview; \`d1-conformance <command> --help\` lists a command's flags.`,
    '',
    'd1-conformance --version prints the version of the tool and of its rulebook.',
    'With no target, `run` certifies the bundled reference issuer, so a first run shows a real report.',
    '',
    EXIT_CODES,
  ].join('\n');
}
