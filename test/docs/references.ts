/**
 * What a document points at, checked without running anything: every shell block is either run
 * or says why not; relative links reach a file (and a heading, for `#anchor`); a repository path
 * in inline code (`src/…`, `test/…`, …) exists; `npm run NAME` names a script of package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { codeBlocks, commandsOf, directiveOf, SHELL_LANGUAGES } from './markdown.js';

const REPO_PATH = /^(src|test|bench|bin|models|data|docs)\/[\w./-]*$/;
const LINK = /\[[^\]]*\]\(([^)\s]+)\)/g;
const INLINE_CODE = /`([^`\n]+)`/g;

/** The prose of a document: its code blocks' lines blanked, so line numbers hold. */
function prose(text: string): string[] {
  const lines = text.split('\n');
  let fence: string | undefined;
  return lines.map((line) => {
    const marks = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && marks) {
      fence = marks;
      return '';
    }
    if (fence !== undefined) {
      if (marks && line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') fence = undefined;
      return '';
    }
    return line;
  });
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of prose(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1]!
      .replace(/`/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

export function checkReferences(repo: string, file: string): string[] {
  const text = readFileSync(path.join(repo, file), 'utf8');
  const problems: string[] = [];
  const scripts = Object.keys((JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { scripts: object }).scripts);

  for (const block of codeBlocks(text, file)) {
    if (!SHELL_LANGUAGES.has(block.language) || directiveOf(block, 'file')) continue;
    const skipped = directiveOf(block, 'skip') !== undefined;
    let commands;
    try {
      commands = commandsOf(block, file);
    } catch (e) {
      problems.push((e as Error).message);
      continue;
    }
    if (commands.length === 0 && !skipped) problems.push(`${file}:${block.line}: a shell block with no "$ " command: write its commands as "$ " lines, or say why it is not run (<!-- check: skip REASON -->)`);
    for (const command of commands) {
      for (const m of command.text.matchAll(/\bnpm (?:run(?:-script)?\s+([\w:-]+)|(start|test)\b)/g)) {
        const name = m[1] ?? m[2]!;
        if (!scripts.includes(name)) problems.push(`${file}:${command.line}: package.json has no script "${name}"`);
      }
    }
  }

  prose(text).forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    for (const [, target] of line.replace(INLINE_CODE, '').matchAll(LINK)) {
      if (/^[a-z]+:/i.test(target!)) continue;
      const [linked, anchor] = target!.split('#') as [string, string | undefined];
      const resolved = linked === '' ? path.join(repo, file) : path.resolve(path.dirname(path.join(repo, file)), linked);
      if (!existsSync(resolved)) {
        problems.push(`${where}: the link ${target} leads to no file`);
        continue;
      }
      if (anchor !== undefined && resolved.endsWith('.md') && !headingAnchors(readFileSync(resolved, 'utf8')).has(anchor)) {
        problems.push(`${where}: the link ${target}: ${path.relative(repo, resolved)} has no heading with the anchor #${anchor}`);
      }
    }
    for (const [, code] of line.matchAll(INLINE_CODE)) {
      if (REPO_PATH.test(code!) && !existsSync(path.join(repo, code!))) problems.push(`${where}: \`${code}\` is not a path in the repository`);
    }
  });
  return problems;
}
