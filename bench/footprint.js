#!/usr/bin/env node
// npm run bench:footprint — what installing the package costs a user: packs this checkout
// (npm pack), installs the tarball into an empty project, and prints the size of node_modules,
// the number of packages, and the largest ones. Uses the npm cache (--prefer-offline).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, lstatSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(path.join(os.tmpdir(), 'sts-footprint-'));
const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } });

function size(p) {
  const s = lstatSync(p);
  if (!s.isDirectory()) return s.size;
  return readdirSync(p).reduce((sum, e) => sum + size(path.join(p, e)), 0);
}

/** Every installed package folder (scoped ones included), with its size. */
function packages(nodeModules) {
  const found = [];
  for (const e of readdirSync(nodeModules)) {
    if (e.startsWith('.')) continue;
    const p = path.join(nodeModules, e);
    if (e.startsWith('@')) for (const s of readdirSync(p)) found.push({ name: `${e}/${s}`, bytes: size(path.join(p, s)) });
    else found.push({ name: e, bytes: size(p) });
  }
  return found;
}

try {
  const out = npm(['pack', '--json', '--pack-destination', work], repo);
  const info = JSON.parse(out.slice(out.indexOf('[')))[0];
  const project = path.join(work, 'project');
  execFileSync('mkdir', [project]);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'footprint', private: true }));
  npm(['install', '--prefer-offline', '--omit=dev', path.join(work, info.filename)], project);
  const all = packages(path.join(project, 'node_modules'));
  const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
  const total = all.reduce((s, p) => s + p.bytes, 0);
  console.log(`sts-classifier ${info.version}: tarball ${mb(info.size)} (${info.entryCount} files), unpacked ${mb(info.unpackedSize)}`);
  console.log(`installed: ${mb(total)} in ${all.length} packages (node_modules of an empty project, npm ${npm(['--version'], repo).trim()}, node ${process.version})`);
  console.log('largest:');
  for (const p of all.sort((a, b) => b.bytes - a.bytes).slice(0, 12)) console.log(`  ${mb(p.bytes).padStart(8)}  ${p.name}`);
  console.log('reproduce: npm run bench:footprint');
} finally {
  rmSync(work, { recursive: true, force: true });
}
