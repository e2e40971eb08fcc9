/**
 * A requirements file's text as pip reads it: the encoding from its byte-order mark (UTF-8, UTF-16 or UTF-32) or a
 * `# -*- coding: -*-` line, else UTF-8; lines ending in `\` joined to the next; comments (`#` at the start or after
 * whitespace) removed; `${VAR}` left as written (pip expands it from the machine's environment).
 */

/** One logical line: the text after comments and continuations, and the physical line it starts on (1-based). */
export interface LogicalLine {
  readonly text: string;
  readonly line: number;
  /** Column (1-based) of the first character of the text on that line. */
  readonly column: number;
}

export function decodeRequirements(bytes: Uint8Array): string {
  const starts = (...prefix: number[]) => prefix.every((byte, index) => bytes[index] === byte);
  if (starts(0xef, 0xbb, 0xbf)) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (starts(0xff, 0xfe, 0, 0) || starts(0, 0, 0xfe, 0xff)) return decodeUtf32(bytes.subarray(4), starts(0xff, 0xfe));
  if (starts(0xff, 0xfe)) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (starts(0xfe, 0xff)) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const coding = /^#.*coding[:=]\s*([-\w.]+)/m.exec(head.split('\n').slice(0, 2).join('\n'));
  if (coding && !/^utf-?8$/i.test(coding[1]!)) {
    try {
      return new TextDecoder(coding[1]!).decode(bytes);
    } catch {
      // An encoding TextDecoder does not know: read as UTF-8 below.
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

function decodeUtf32(bytes: Uint8Array, little: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text = '';
  for (let offset = 0; offset + 4 <= bytes.length; offset += 4)
    text += String.fromCodePoint(view.getUint32(offset, little));
  return text;
}

export function logicalLines(text: string): LogicalLine[] {
  const physical = text.split(/\r\n|\n|\r/);
  const lines: LogicalLine[] = [];
  let pending: { text: string; line: number; column: number } | undefined;
  physical.forEach((raw, index) => {
    const isComment = /^\s*#/.test(raw);
    const continues = !isComment && raw.endsWith('\\');
    const piece = continues ? raw.slice(0, -1) : raw;
    if (pending) pending.text += isComment ? '' : piece;
    else pending = { text: piece, line: index + 1, column: piece.length - piece.trimStart().length + 1 };
    if (continues) return;
    const stripped = pending.text.replace(/(^|\s+)#.*$/, '').trim();
    if (stripped !== '') lines.push({ text: stripped, line: pending.line, column: pending.column });
    pending = undefined;
  });
  if (pending) {
    const stripped = pending.text.replace(/(^|\s+)#.*$/, '').trim();
    if (stripped !== '') lines.push({ text: stripped, line: pending.line, column: pending.column });
  }
  return lines;
}

/** Options a requirements line may hold, and whether each takes a value. */
const FILE_OPTIONS: Readonly<Record<string, boolean>> = {
  '-r': true,
  '--requirement': true,
  '-c': true,
  '--constraint': true,
  '-e': true,
  '--editable': true,
  '-i': true,
  '--index-url': true,
  '--extra-index-url': true,
  '--no-index': false,
  '-f': true,
  '--find-links': true,
  '--pre': false,
  '--trusted-host': true,
  '--prefer-binary': false,
  '--only-binary': true,
  '--no-binary': true,
  '--require-hashes': false,
  '--use-feature': true,
  '--hash': true,
  '--config-settings': true,
  '-C': true,
  '--global-option': true,
};

/** A line split as pip splits it: the requirement (words up to the first option) and its options. */
export interface SplitLine {
  readonly requirement: string;
  readonly options: readonly { readonly name: string; readonly value: string | undefined }[];
}

export function splitLine(text: string): SplitLine {
  const words = text.split(/\s+/).filter((word) => word !== '');
  const firstOption = words.findIndex((word) => word.startsWith('-'));
  const requirement = (firstOption < 0 ? words : words.slice(0, firstOption)).join(' ');
  const options: { name: string; value: string | undefined }[] = [];
  const rest = firstOption < 0 ? [] : words.slice(firstOption);
  for (let index = 0; index < rest.length; index++) {
    const word = rest[index]!;
    const equals = word.indexOf('=');
    if (word.startsWith('--') && equals > 0) {
      options.push({ name: word.slice(0, equals), value: word.slice(equals + 1) });
      continue;
    }
    // `-rfile.txt`: a short option glued to its value.
    if (/^-[a-zA-Z]./.test(word) && !word.startsWith('--') && FILE_OPTIONS[word.slice(0, 2)]) {
      options.push({ name: word.slice(0, 2), value: word.slice(2) });
      continue;
    }
    const takesValue = FILE_OPTIONS[word] === true;
    options.push({ name: word, value: takesValue ? rest[index + 1] : undefined });
    if (takesValue) index += 1;
  }
  return { requirement, options };
}
