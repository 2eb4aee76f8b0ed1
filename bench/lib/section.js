// Each benchmark that writes BENCHMARKS.md owns one section of it, between its two marks, so
// that the other sections and the hand-written text around them stay as they are.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Writes `report` between the marks of `script` (e.g. "bench:accuracy") in `file`: replaced
 * where the marks are, appended where they are not, a new "# Benchmarks" file where there is none.
 */
export function writeSection(file, script, report) {
  const begin = `<!-- npm run ${script} writes from here to its end mark -->`;
  const end = `<!-- end of npm run ${script} -->`;
  const old = existsSync(file) ? readFileSync(file, 'utf8') : null;
  const from = old?.indexOf(begin) ?? -1;
  const to = old?.indexOf(end) ?? -1;
  const section = `${begin}\n${report}\n${end}`;
  let text;
  if (old === null) text = `# Benchmarks\n\n${section}\n`;
  else if (from < 0 || to < from) text = `${old.replace(/\n*$/, '\n\n')}${section}\n`;
  else text = `${old.slice(0, from)}${section}${old.slice(to + end.length)}`;
  writeFileSync(file, text);
}
