#!/usr/bin/env node
// Runs before `npm test`: the HTML report is checked in a real headless Chromium and the JUnit
// report against its XSD with xmllint, both Debian packages. A fresh machine gets them here
// (apt-get, as root); anywhere else the message says what to install. Never a silent skip.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const NEEDED = [
  { bin: '/usr/bin/chromium', pkg: 'chromium' },
  { bin: '/usr/bin/xmllint', pkg: 'libxml2-utils' },
];
const missing = NEEDED.filter((n) => !existsSync(n.bin));
if (missing.length > 0) {
  const pkgs = missing.map((m) => m.pkg);
  if (process.getuid?.() !== 0) {
    console.error(`npm test needs the Debian packages ${pkgs.join(', ')}: sudo apt-get install -y ${pkgs.join(' ')}`);
    process.exit(1);
  }
  console.error(`installing ${pkgs.join(', ')} (Debian packages the report tests use)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
}
