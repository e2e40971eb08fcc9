/**
 * A URL from a setting, fit to print: any user name and password in it replaced by `***`, and a value with control
 * characters (which could rewrite the terminal) shown quoted and escaped.
 */
export function shownUrl(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) return JSON.stringify(value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  if (!url.username && !url.password) return value;
  url.username = '***';
  url.password = '';
  return url.href;
}
