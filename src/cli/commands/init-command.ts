import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../../core/errors/index.js';
import { generateKeys, KEY_FILES } from '../../core/keys/keys.js';
import type { CommandIo } from '../command-io.js';
import { COMMAND_SPECS } from '../command-specs.js';
import { DEFAULT_FILES, KEYS_GITIGNORE, schemaRef, STARTER_YAML, type Direction } from '../init/starter-configs.js';
import { parseCommand } from '../parse-command.js';
import { pathExists } from '../../core/util/path-exists.js';

/**
 * `d1-conformance init`: a commented starter configuration for one direction, next to a keys/
 * folder that git ignores (its own .gitignore), so a first key never reaches a commit. For the
 * client direction it also generates the issuer's assertion key pair the starter file names.
 */
export async function initCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseCommand(COMMAND_SPECS.init, args);
  const direction = values.direction ?? 'server';
  if (direction !== 'server' && direction !== 'client') throw new UsageError(`--direction must be server or client; got "${direction}"`);
  const format = values.format ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`--format must be yaml or json; got "${format}"`);
  const file = resolve(values.out ?? `${DEFAULT_FILES[direction]}.${format}`);
  if (values.force !== true && (await pathExists(file))) throw new UsageError(`${file} already exists (--force overwrites it)`);

  const keysDir = join(dirname(file), 'keys');
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  await writeFile(join(keysDir, '.gitignore'), KEYS_GITIGNORE);
  await writeFile(file, format === 'yaml' ? STARTER_YAML[direction] : starterJson(direction), { mode: 0o600 });
  io.out(`wrote ${file} (${direction === 'server' ? 'issuer as server: run' : 'issuer as client: client-check'}); replace its <placeholders>`);
  io.out(`keys folder: ${keysDir} (git-ignored by its own .gitignore)`);
  if (direction === 'client') {
    const pub = join(keysDir, KEY_FILES.issuer.publicFile);
    if (await pathExists(pub)) io.out(`issuer assertion key: kept the one in ${keysDir}`);
    else io.out(`issuer assertion key: ${(await generateKeys(keysDir, 'issuer')).kid} (your tests sign with ${join(keysDir, KEY_FILES.issuer.privateFile)})`);
  }
  const command = direction === 'server' ? 'run' : 'client-check';
  io.out(`then: d1-conformance ${command} --config ${basename(file)}${direction === 'client' ? ' -- <your D1 integration tests>' : ''}`);
  return 0;
}

/** The same starter as JSON: the YAML's values, its header as a `//` comment, its schema as `$schema`. */
function starterJson(direction: Direction): string {
  const yaml = STARTER_YAML[direction].replaceAll(`${DEFAULT_FILES[direction]}.yaml`, `${DEFAULT_FILES[direction]}.json`);
  const lines = yaml.split('\n');
  // The file's opening comment block; the comments on each key are in the JSON Schema's descriptions.
  const header = lines
    .slice(
      1,
      lines.findIndex((line) => line.trim() === ''),
    )
    .map((line) => line.replace(/^# ?/, '').trim());
  const values = parseYaml(yaml) as Record<string, unknown>;
  return `${JSON.stringify({ $schema: schemaRef(direction), '//': header, ...values }, null, 2)}\n`;
}
