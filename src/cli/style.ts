/** ANSI styles, applied only when colour is on; every printer goes through these. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  green(text: string): string;
}

const wrap = (code: number, reset: number) => (text: string) => `\u001b[${code}m${text}\u001b[${reset}m`;

export function style(color: boolean): Style {
  if (!color) {
    const plain = (text: string): string => text;
    return { bold: plain, dim: plain, red: plain, yellow: plain, blue: plain, green: plain };
  }
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    blue: wrap(34, 39),
    green: wrap(32, 39),
  };
}
