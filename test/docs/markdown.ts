/**
 * The code blocks of a Markdown document, with the `<!-- check: … -->` directives written just
 * above them. The directives tell the docs checker (docs.test.ts) what a block is for:
 *
 *   <!-- check: file NAME -->     write the block's text to NAME in the document's folder
 *   <!-- check: slow -->          run the block in `npm run test:slow` only
 *   <!-- check: skip REASON -->   do not run the block; REASON says why (required)
 *   <!-- check: server K=V … -->  the block's curl commands talk to a server started with this
 *                                 environment added (default: none)
 *
 * A shell block (console, sh, shell, bash) holds commands as `$ ` lines (a line ending in `\`
 * continues on the next), each followed by its expected output. A command may end with a
 * comment `# exit N`: its expected exit code (0 if it has none).
 */

export const SHELL_LANGUAGES = new Set(['console', 'sh', 'shell', 'bash']);

export type Directive =
  | { kind: 'file'; name: string }
  | { kind: 'slow' }
  | { kind: 'skip'; reason: string }
  | { kind: 'server'; env: Record<string, string> };

export interface CodeBlock {
  /** 1-based line of the opening fence. */
  line: number;
  /** The fence's indentation (a block in a list item is indented). */
  indent: string;
  language: string;
  /** The lines between the fences, their fence indentation removed. */
  lines: string[];
  directives: Directive[];
}

export interface Command {
  /** 1-based line of the `$ ` line in the document. */
  line: number;
  /** The command as bash runs it (continuation lines joined with their `\`). */
  text: string;
  exitCode: number;
  /** The expected output, and the 1-based document line of its first line (where it would be). */
  expected: string[];
  expectedLine: number;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;
const DIRECTIVE = /^\s*<!--\s*check:\s*(.*?)\s*-->\s*$/;

/** The document's fenced code blocks, in order; throws on a directive it cannot read. */
export function codeBlocks(text: string, file: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  let pending: Directive[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const directive = DIRECTIVE.exec(line);
    if (directive) {
      pending.push(parseDirective(directive[1]!, `${file}:${i + 1}`));
      continue;
    }
    const fence = FENCE.exec(line);
    if (!fence) {
      if (line.trim() !== '' && pending.length > 0) {
        throw new Error(`${file}:${i + 1}: a check directive must be followed by a code block`);
      }
      continue;
    }
    const [, indent, marks, language] = fence;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const inner = lines[j]!;
      if (inner.trim().startsWith(marks!) && inner.trim().replace(/[`~]/g, '') === '') break;
      body.push(inner.startsWith(indent!) ? inner.slice(indent!.length) : inner.trimStart());
    }
    if (j === lines.length) throw new Error(`${file}:${i + 1}: code block never closed`);
    blocks.push({ line: i + 1, indent: indent!, language: language!.toLowerCase(), lines: body, directives: pending });
    pending = [];
    i = j;
  }
  if (pending.length > 0) throw new Error(`${file}: a check directive at the end is followed by no code block`);
  return blocks;
}

function parseDirective(text: string, where: string): Directive {
  const [word, ...rest] = text.split(/\s+/);
  const argument = rest.join(' ');
  switch (word) {
    case 'file':
      if (!/^[\w.-]+(\/[\w.-]+)*$/.test(argument) || argument.split('/').includes('..')) {
        throw new Error(`${where}: "check: file" needs a relative file name, got "${argument}"`);
      }
      return { kind: 'file', name: argument };
    case 'slow':
      return { kind: 'slow' };
    case 'skip':
      if (argument.replace(/^[-—:\s]+/, '') === '') throw new Error(`${where}: "check: skip" needs a reason`);
      return { kind: 'skip', reason: argument.replace(/^[-—:\s]+/, '') };
    case 'server': {
      const env: Record<string, string> = {};
      for (const pair of rest) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new Error(`${where}: "check: server" takes NAME=VALUE pairs, got "${pair}"`);
        env[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      return { kind: 'server', env };
    }
    default:
      throw new Error(`${where}: unknown check directive "${text}" (file NAME, slow, skip REASON, server NAME=VALUE…)`);
  }
}

const EXIT_COMMENT = /\s+#\s*exit\s+(\d+)\s*$/;

/** The `$ ` commands of a shell block and the output each expects. */
export function commandsOf(block: CodeBlock, file: string): Command[] {
  const commands: Command[] = [];
  const lines = block.lines;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith('$ ')) {
      if (commands.length === 0 && line.trim() !== '') {
        throw new Error(`${file}:${block.line + 1 + i}: a shell block starts with a "$ " command line, got "${line}"`);
      }
      commands.at(-1)?.expected.push(line);
      continue;
    }
    const start = i;
    let text = line.slice(2);
    while (text.endsWith('\\') && i + 1 < lines.length) text = `${text}\n${lines[++i]}`;
    const exit = EXIT_COMMENT.exec(text);
    commands.push({
      line: block.line + 1 + start,
      text,
      exitCode: exit ? Number(exit[1]) : 0,
      expected: [],
      expectedLine: block.line + 2 + i,
    });
  }
  for (const command of commands) {
    while (command.expected.length > 0 && command.expected.at(-1)!.trim() === '') command.expected.pop();
  }
  return commands;
}

/** The directive of that kind written above the block, if there is one. */
export function directiveOf<K extends Directive['kind']>(block: CodeBlock, kind: K): Extract<Directive, { kind: K }> | undefined {
  return block.directives.find((d): d is Extract<Directive, { kind: K }> => d.kind === kind);
}
