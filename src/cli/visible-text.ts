/**
 * Text that dlrun did not write itself (what a provider or a remote machine reports, a job's output, lines of a job
 * file from a cloned repository) must never drive the terminal: an escape sequence can rewrite what is on screen,
 * set the window title, write to the clipboard (OSC 52) or, on some terminals, answer with keystrokes. Control
 * characters are shown as `\u001b`-style escapes instead, which stay valid inside JSON strings too.
 */

/** Colour and style (SGR: ESC [ digits and semicolons m): dlrun's own colours, and harmless in a job's output. */
const SGR = /^\u001b\[[0-9;]*m/;
/** C0 controls, DEL, C1 controls, and the bidirectional overrides that can make text read other than it is. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escaped(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Line-oriented text for dlrun's own output: newlines, tabs and colour sequences pass, every other control is
 * made visible. `keepCarriageReturns` lets a job's progress bars (which redraw with `\r`) work when its output is
 * shown on a terminal.
 */
export function visibleText(text: string, options: { keepCarriageReturns?: boolean } = {}): string {
  return text.replace(CONTROL, (character, offset: number) => {
    if (character === '\n' || character === '\t') return character;
    if (character === '\r' && options.keepCarriageReturns) return character;
    if (character === '\u001b' && SGR.test(text.slice(offset, offset + 32))) return character;
    return escaped(character);
  });
}

/**
 * One field on one line (a state, a reason, an id, a line of a job file): nothing may break the line or restyle
 * it, so newlines, tabs and colour sequences are shown too.
 */
export function visibleField(text: string): string {
  return text.replace(CONTROL, escaped);
}
